"""A belt operator's search synonyms: the words buyers use for the belt's products, applied to
searches within the belt. Another belt's synonyms answer 404, like a page that does not exist;
staff keep every synonym in the admin."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.http import AuthenticatedHttpRequest
from belts.models import Belt
from suppliers.selectors import belt_get_for_operator

from ..forms import SearchSynonymForm
from ..models import SearchSynonym
from ..synonyms import search_synonym_delete, search_synonym_save


def _page(
    request: AuthenticatedHttpRequest, belt: Belt, form: SearchSynonymForm, editing: SearchSynonym | None
) -> HttpResponse:
    context = {
        "belt": belt,
        "form": form,
        "editing": editing,
        "synonyms": list(SearchSynonym.objects.filter(belt=belt).order_by("terms")),
        "shared_count": SearchSynonym.objects.filter(belt=None).count(),
    }
    return render(request, "catalog/operator/synonyms.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def operator_synonyms(request: AuthenticatedHttpRequest, belt_slug: str) -> HttpResponse:
    """The belt's synonyms, and a form to add one."""
    belt = belt_get_for_operator(user=request.user, slug=belt_slug)
    form = SearchSynonymForm(request.POST or None, instance=SearchSynonym(belt=belt))
    if request.method == "POST" and form.is_valid():
        search_synonym_save(actor=request.user, synonym=form.instance)
        messages.success(request, _("Synonym saved: searches within the belt use it from now on."))
        return redirect("catalog:operator_synonyms", belt.slug)
    return _page(request, belt, form, None)


@require_http_methods(["GET", "POST"])
@login_required
def operator_synonym_edit(request: AuthenticatedHttpRequest, belt_slug: str, pk: int) -> HttpResponse:
    belt = belt_get_for_operator(user=request.user, slug=belt_slug)
    synonym = SearchSynonym.objects.filter(pk=pk, belt=belt).first()
    if synonym is None:
        raise Http404("No such synonym")
    form = SearchSynonymForm(request.POST or None, instance=synonym)
    if request.method == "POST" and form.is_valid():
        search_synonym_save(actor=request.user, synonym=form.instance)
        messages.success(request, _("Synonym saved: searches within the belt use it from now on."))
        return redirect("catalog:operator_synonyms", belt.slug)
    return _page(request, belt, form, synonym)


@require_POST
@login_required
def operator_synonym_delete(request: AuthenticatedHttpRequest, belt_slug: str, pk: int) -> HttpResponse:
    belt = belt_get_for_operator(user=request.user, slug=belt_slug)
    if not SearchSynonym.objects.filter(pk=pk, belt=belt).exists():
        raise Http404("No such synonym")
    search_synonym_delete(actor=request.user, synonym_id=pk, belt=belt)
    messages.success(request, _("Synonym removed."))
    return redirect("catalog:operator_synonyms", belt.slug)
