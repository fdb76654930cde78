"""Forms of the commune's yearly pages (crispy-forms, Bootstrap 5). They only shape input:
the rules live in the services (parindex.services.plan), whose ValidationErrors come back to
the fields through `apply_errors`."""

from django.core.exceptions import ValidationError


def apply_errors(form, error):
    """Attach a service's ValidationError to the form's fields (or to the form when not per field)."""
    if hasattr(error, "error_dict"):
        for field_name, messages in error.message_dict.items():
            target = field_name if field_name in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


__all__ = ["ValidationError", "apply_errors"]
