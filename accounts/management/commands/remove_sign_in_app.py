from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = (
        "Remove a curator's authenticator app (for a lost phone). They set up a new one the next "
        "time they sign in."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"There is no user named {username!r}.") from None
        removed, _ = TOTPDevice.objects.filter(user=user).delete()
        self.stdout.write(f"Removed {removed} authenticator app(s) of {username}.")
