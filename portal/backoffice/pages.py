"""Page flows that every domain's back office repeats."""

from flask import flash, redirect, render_template
from flask_babel import gettext as _

from ..transaction import unit_of_work
from .auth import current_user, permission_required
from .forms import ConfirmForm


def confirm_delete(delete, obj, *, item: str, message: str, done_url: str,
                   cancel_url: str | None = None, warning: str | None = None):
    """The "delete this?" page; once confirmed, `delete(actor, obj)`, `message` and `done_url`."""
    form = ConfirmForm()
    if form.validate_on_submit():
        with unit_of_work():
            delete(current_user(), obj)
        flash(message, "success")
        return redirect(done_url)
    return render_template("backoffice/confirm_delete.html", form=form, item=item,
                           warning=warning, cancel_url=cancel_url or done_url)


def add_publication_routes(bp, rule: str, *, permission, load, change, done_url,
                           prefix: str = "") -> None:
    """POST `rule`/publier and `rule`/depublier (endpoints `prefix`publish and
    `prefix`unpublish): once the CSRF token checks, `change(actor, item, published)`, then
    back to `done_url(item)` with a message saying what residents now see."""
    for published, path, name in ((True, "publier", "publish"),
                                  (False, "depublier", "unpublish")):
        def view(item, published=published):
            if ConfirmForm().validate_on_submit():
                with unit_of_work():
                    change(current_user(), item, published)
                flash(_("Publié : les habitants le voient sur le site.") if published else
                      _("Retiré du site : les habitants ne le voient plus. Il reste ici en "
                        "brouillon."), "success")
            return redirect(done_url(item))

        view.__name__ = prefix + name
        guarded = permission_required(permission, load=load)(view)
        bp.add_url_rule(f"{rule}/{path}", view_func=guarded, methods=["POST"])
