"""Field changes between consecutive historical records, with django-simple-history's own
`diff_against`, for the pages that show who changed what."""


def history_changes(records, *, fields, blank):
    """Yield (record, changes) for each historical record in the given order, `changes` being the
    `ModelChange`s of `fields` (in that order) against the same object's previous record. An
    object's first record is compared with `blank`, an unsaved historical instance holding the
    values the object starts with, so that its creation shows what it was created with."""
    order = {name: i for i, name in enumerate(fields)}
    previous = {}
    for record in records:
        delta = record.diff_against(previous.get(record.id, blank), included_fields=fields)
        previous[record.id] = record
        yield record, sorted(delta.changes, key=lambda change: order[change.field])
