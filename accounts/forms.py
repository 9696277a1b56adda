from django import forms


class CodeForm(forms.Form):
    code = forms.CharField(
        label="The 6-digit code your app shows now",
        max_length=12,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "size": 8}
        ),
    )

    def clean_code(self):
        # Apps show the code as "123 456"; people type it either way.
        code = "".join(self.cleaned_data["code"].split())
        if len(code) != 6 or not code.isdigit():
            raise forms.ValidationError("Type the 6 digits your app shows, for example 123456.")
        return code
