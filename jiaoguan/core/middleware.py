from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Every page needs a log-in, except the API, which authenticates its own bearer tokens, and the
    public parent enrolment site /ruxue/, which has its own SMS-code log-in."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        if request.path_info.startswith("/ruxue/"):
            return None  # the public parent site (enrolment): parents log in with an SMS code
        return super().process_view(request, view_func, view_args, view_kwargs)
