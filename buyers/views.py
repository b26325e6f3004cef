"""Buyer sign-up and dashboard."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from catalog.selectors import belt_list_with_counts

from .forms import BuyerSignUpForm
from .selectors import buyer_company_for_user
from .services import buyer_sign_up


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = BuyerSignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        buyer_sign_up(**form.cleaned_data, base_url=request.build_absolute_uri("/")[:-1])
        # The same answer whether or not the address already had an account.
        return render(request, "buyers/signup_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "buyers/signup.html", {"form": form})


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    company = buyer_company_for_user(user=request.user)
    if company is None:
        raise Http404("You do not buy for a company")
    return render(request, "buyers/dashboard.html", {"company": company, "belts": belt_list_with_counts()})
