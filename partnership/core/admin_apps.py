from django.contrib.admin.apps import AdminConfig


class PartnershipAdminConfig(AdminConfig):
    """The admin with the platform's site class (sign-in through the app, second factor included)."""

    default_site = "partnership.core.admin_site.PartnershipAdminSite"
