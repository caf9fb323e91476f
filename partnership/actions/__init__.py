"""The one action log: services, selectors, pages and exports for `actions.Action`.

Every module creates actions through `action_create` with its own `source` object (a meeting's
agenda item, a plan objective, later a review finding or a data flag)."""
