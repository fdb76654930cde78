from django.contrib import admin

from .models import ReportJob
from .selectors import report_jobs_visible_to


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    """Read-only: jobs are made and changed by the report services and tasks only."""

    list_display = ("id", "report_type", "unit", "year", "status", "progress", "attempts", "requested_by",
                    "created_at", "finished_at")
    list_filter = ("status", "report_type", "year")
    search_fields = ("unit__name", "unit__code", "filename", "requested_by__username", "error")
    date_hierarchy = "created_at"
    list_select_related = ("unit", "year", "requested_by")

    def get_queryset(self, request):
        # The same visibility rule as the job pages: a staff user given this model sees only
        # the jobs of units in their scope.
        return super().get_queryset(request).filter(pk__in=report_jobs_visible_to(request.user).values("pk"))

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
