from .models import SchoolYear


def navigation(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {"current_year": SchoolYear.current()}
