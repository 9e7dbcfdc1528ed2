import time

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


class SessionIdleMiddleware:
    """The 30-minute idle log-out without a session write on every request (which would be one
    database write per page, and per parent submission at the 9 a.m. rush): a session used by a
    request has its expiry pushed forward at most once a minute, so SESSION_COOKIE_AGE is the idle
    limit to within that minute. Sits after SessionMiddleware, which then saves what it marks."""

    TOUCH_EVERY = 60  # seconds
    KEY = "_touched"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.accessed and not session.is_empty():
            now = int(time.time())
            # a session saved anyway (log-in, a change) notes the time at no extra cost
            if session.modified or now - session.get(self.KEY, 0) >= self.TOUCH_EVERY:
                session[self.KEY] = now
        return response
