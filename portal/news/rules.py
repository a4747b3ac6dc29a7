"""Who may do what with news (see portal.backoffice.rules)."""

from ..backoffice.rules import is_admin, is_project

can_edit_news = is_admin | is_project
can_publish_news = is_admin | is_project
can_delete_news = is_admin | is_project
