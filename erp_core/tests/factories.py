"""factory_boy factories of the ERP core: users (with role groups) and partners."""

import factory
from django.contrib.auth.models import Group

from erp_core.models import Partner, User

DEFAULT_PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    """A staff user; ``roles=["Sales", ...]`` puts it in those role groups.

    The groups come from ``erp_core.services.roles_sync()`` (run after migrate); a role that
    does not exist is an error, so that a typo never yields a user without permissions silently.
    """

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password(DEFAULT_PASSWORD)

    @factory.post_generation
    def roles(self, create: bool, extracted, **kwargs) -> None:
        if not create or not extracted:
            return
        self.groups.add(*(Group.objects.get(name=name) for name in extracted))


class PartnerFactory(factory.django.DjangoModelFactory):
    """A customer with a valid unified social credit code."""

    class Meta:
        model = Partner
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"P{n:05d}")
    name = factory.Sequence(lambda n: f"Partner company {n}")
    kind = Partner.Kind.CUSTOMER
    tax_id = factory.Sequence(lambda n: f"91310000MA1K{n:06d}")
    email = factory.LazyAttribute(lambda partner: f"{partner.code.lower()}@example.cn")
    phone = "+86 21 5555 0000"
