"""The officer's own workspace language (nb, nn or en), applied by StaffLanguageMiddleware."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inputbank import services
from inputbank.models import STAFF_LANGUAGES, StaffProfile
from maps.staff.access import staff_view


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=gettext_lazy("Language"), choices=STAFF_LANGUAGES, widget=forms.RadioSelect
    )


@staff_view()
def language_choice(request):
    if request.method == "POST":
        form = LanguageForm(request.POST)
        if form.is_valid():
            language = form.cleaned_data["language"]
            services.staff_language_set(user=request.user, language=language)
            # The message is read on the next page, which speaks the new language.
            with translation.override(language):
                messages.success(request, _("The workspace now speaks your chosen language."))
            return redirect("staff:language")
    else:
        form = LanguageForm(initial={"language": StaffProfile.language_of(request.user)})
    return render(request, "staff/language.html", {"form": form})
