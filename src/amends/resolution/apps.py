from django.apps import AppConfig


class ResolutionConfig(AppConfig):
    name = "amends.resolution"
    label = "resolution"
    verbose_name = "Resolution"
