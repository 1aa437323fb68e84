"""A worker remembers a signed-in user and their permissions for AUTH_RECHECK_SECONDS
(core.auth_memory, core.backends): a change the worker makes takes effect at once, a change
it did not see (another worker's) once the interval is over; a password change still ends
other sessions."""

import pytest
from django.contrib.auth.models import Group, Permission

from core.auth_memory import user_get_recent
from core.backends import ModelBackendOneQuery

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, trainee):
    client.force_login(trainee)
    assert client.get("/cases/").status_code == 200  # the worker now remembers them
    return client


def test_a_remembered_user_is_a_fresh_instance_with_the_stored_values(trainee):
    first = user_get_recent(user_id=trainee.pk)
    first.first_name = "changed in memory only"
    again = user_get_recent(user_id=str(trainee.pk))  # a session keeps the id as text
    assert again is not first
    fields = [field.attname for field in type(trainee)._meta.concrete_fields]
    assert [getattr(again, name) for name in fields] == [getattr(trainee, name) for name in fields]
    assert user_get_recent(user_id=trainee.pk + 1000) is None
    assert user_get_recent(user_id="not a number") is None


def test_a_deactivated_user_is_signed_out_at_once_by_the_worker_that_saved_it(signed_in, trainee):
    trainee.is_active = False
    trainee.save()
    assert signed_in.get("/cases/").status_code == 302  # to the sign-in page


def test_a_deleted_user_is_signed_out_at_once(signed_in, trainee):
    trainee.delete()
    assert signed_in.get("/cases/").status_code == 302


def test_a_permission_withdrawn_from_the_group_is_refused_at_once(signed_in):
    view = Permission.objects.get(codename="view_caseprofile")
    Group.objects.get(name="trainee").permissions.remove(view)
    assert signed_in.get("/cases/").status_code == 403


def test_a_change_this_worker_did_not_see_takes_effect_once_the_interval_is_over(
    signed_in, trainee, settings
):
    # Another worker's changes, as this one sees them: no signal here (plain SQL).
    type(trainee).groups.through.objects.filter(user=trainee).delete()
    assert signed_in.get("/cases/").status_code == 200  # remembered, for now
    settings.AUTH_RECHECK_SECONDS = 0
    assert signed_in.get("/cases/").status_code == 403
    type(trainee).objects.filter(pk=trainee.pk).update(is_active=False)
    assert signed_in.get("/cases/").status_code == 302


def test_a_password_changed_elsewhere_ends_the_session_once_the_interval_is_over(
    signed_in, trainee, settings
):
    from django.contrib.auth.hashers import make_password

    type(trainee).objects.filter(pk=trainee.pk).update(password=make_password("new-one-9x!"))
    settings.AUTH_RECHECK_SECONDS = 0
    assert signed_in.get("/cases/").status_code == 302


def test_the_permissions_are_those_djangos_model_backend_reads(
    trainee, staff, django_assert_num_queries
):
    from django.contrib.auth.backends import ModelBackend

    for user in (trainee, staff):
        expected = ModelBackend().get_all_permissions(type(user).objects.get(pk=user.pk))
        first = ModelBackendOneQuery().get_all_permissions(type(user).objects.get(pk=user.pk))
        fresh = type(user).objects.get(pk=user.pk)
        with django_assert_num_queries(0):  # from this worker's memory
            again = ModelBackendOneQuery().get_all_permissions(fresh)
        assert first == again == expected and expected
