from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _province_admin_group_refresh(sender, using="default", **kwargs):
    # Permissions of models added by a new release reach the province administrators' group at
    # migrate time, not only at their next role change.
    from .services import province_admin_group_ensure

    province_admin_group_ensure()


class CommunesConfig(AppConfig):
    name = "communes"
    verbose_name = "Đơn vị hành chính và người dùng"

    def ready(self):
        from django.apps import apps

        # After parindex's own post_migrate, when its permissions (and those of auth and communes,
        # installed before it) exist.
        post_migrate.connect(_province_admin_group_refresh, sender=apps.get_app_config("parindex"),
                             dispatch_uid="communes.province_admin_group_refresh")
