"""The deprecation helper: the warning names the versions and the replacement, and points at
the caller; the policy (at least one minor release) is enforced when the decorator is applied."""

from __future__ import annotations

import warnings

import pytest

from kzdiscourse._deprecation import deprecated, next_minor, warn_deprecated


@deprecated(since="0.2.0", replacement="new_total")
def old_total(a: int, b: int = 1) -> int:
    """Add two numbers."""
    return a + b


def test_calling_a_deprecated_function_warns_and_still_works():
    with pytest.warns(DeprecationWarning) as caught:
        assert old_total(2, b=3) == 5
    (warning,) = caught
    assert str(warning.message) == (
        "old_total is deprecated since kzdiscourse 0.2.0 and will be removed in 0.3.0; "
        "use new_total instead."
    )
    assert warning.filename == __file__  # points at the user's call, not at the wrapper


def test_the_wrapper_keeps_name_signature_and_documents_the_deprecation():
    import inspect

    assert old_total.__name__ == "old_total"
    assert list(inspect.signature(old_total).parameters) == ["a", "b"]
    assert old_total.__doc__.startswith("Add two numbers.")
    assert ".. deprecated:: 0.2.0" in old_total.__doc__


def test_warn_deprecated_for_a_parameter_points_at_the_caller():
    def api(n_boot: int | None = None) -> None:
        if n_boot is not None:
            warn_deprecated("api(n_boot=...)", "1.4.0", replacement="api(n_resamples=...)")

    with pytest.warns(DeprecationWarning, match=r"since kzdiscourse 1\.4\.0.*removed in 1\.5\.0"):
        api(n_boot=10)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        api()  # no warning without the deprecated parameter
    with pytest.warns(DeprecationWarning) as caught:
        api(n_boot=10)
    assert caught[0].filename == __file__


def test_removal_must_wait_at_least_one_minor_release():
    with pytest.raises(ValueError, match="at least one minor release"):
        deprecated(since="0.2.0", removed_in="0.2.5")(old_total)
    with pytest.raises(ValueError, match="at least one minor release"):
        warn_deprecated("x", "0.3.0", removed_in="0.2.0")
    with pytest.warns(DeprecationWarning, match="removed in 1.0.0"):
        warn_deprecated("x", "0.9.1", removed_in="1.0.0")
    with pytest.raises(ValueError, match="not a version"):
        next_minor("soon")


def test_next_minor():
    assert next_minor("0.1.0") == "0.2.0"
    assert next_minor("0.9.4") == "0.10.0"
    assert next_minor("2.0") == "2.1.0"
