"""Permissions come from a user's groups and own grants, read in one query per request."""

import pytest
from django.contrib.auth.models import Group, Permission, User

pytestmark = pytest.mark.django_db


def fresh(user: User) -> User:
    # Each request loads its user anew, so nothing cached on an old object may answer.
    return User.objects.get(pk=user.pk)


def test_group_permissions_are_read_in_one_query(trainee, django_assert_num_queries):
    user = fresh(trainee)
    # 1 the user's own and its groups' permissions together; later checks use the cache.
    with django_assert_num_queries(1):
        assert user.has_perm("cases.view_caseprofile")
        assert user.has_perm("cases.add_caseprofile")
        assert not user.has_perm("rules.change_rule")


def test_a_permission_granted_to_the_user_alone_counts(db):
    user = User.objects.create_user("solo", password="a-long-test-password-1")
    assert not fresh(user).has_perm("rules.view_rule")
    user.user_permissions.add(Permission.objects.get(codename="view_rule"))
    assert fresh(user).has_perm("rules.view_rule")
    assert fresh(user).get_all_permissions() == {"rules.view_rule"}


def test_leaving_a_group_takes_effect_on_the_next_request(trainee):
    assert fresh(trainee).has_perm("cases.view_caseprofile")
    trainee.groups.remove(Group.objects.get(name="trainee"))
    assert not fresh(trainee).has_perm("cases.view_caseprofile")


def test_inactive_users_have_no_permissions_and_superusers_all(trainee, staff):
    trainee.is_active = False
    trainee.save()
    assert fresh(trainee).get_all_permissions() == set()
    assert fresh(staff).get_all_permissions() == {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.select_related("content_type")
    }


def test_permissions_match_djangos_own_backend(trainee, curator, staff):
    from django.contrib.auth.backends import ModelBackend

    from core.backends import ModelBackendOneQuery

    curator.user_permissions.add(Permission.objects.get(codename="view_evaluationsnapshot"))
    for user in (trainee, curator, staff):
        ours = ModelBackendOneQuery().get_all_permissions(fresh(user))
        assert ours == ModelBackend().get_all_permissions(fresh(user))
        assert ours  # every one of these users holds some permission
