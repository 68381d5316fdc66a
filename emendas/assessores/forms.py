from django import forms


class AssociarAssessorForm(forms.Form):
    email = forms.EmailField(label="E-mail (login) do assessor", max_length=254,
                             help_text="A conta precisa estar cadastrada, ativa e com o perfil Assessor.",
                             widget=forms.EmailInput(attrs={"autocomplete": "off"}))
