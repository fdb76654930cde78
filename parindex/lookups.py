"""Lookups of our own, registered on every model field by ParindexConfig.ready()."""

from django.core.exceptions import EmptyResultSet
from django.db.models.lookups import In


class AnyOf(In):
    """`field__any=values`: the rows whose field is one of `values`, exactly as `field__in=values`
    (None never matches, an empty list matches nothing without a query, a subquery or expressions
    fall back to `IN`). On PostgreSQL the values travel as one array parameter, `field = ANY(%s)`,
    instead of one parameter each: PostgreSQL plans both alike, but Django prepares, compiles and
    joins each parameter of an `IN` list on its own, about 45 ms for the 3,321 ids of a national
    dashboard. Values, not model instances: use `unit_id__any=[…]`, not `unit__any=[…]`."""

    lookup_name = "any"

    def as_postgresql(self, compiler, connection):
        if not self.rhs_is_direct_value():
            return self.as_sql(compiler, connection)
        try:
            values = list(dict.fromkeys(self.rhs))  # distinct, in order, as In does
        except TypeError:  # unhashable values
            values = list(self.rhs)
        values = [value for value in values if value is not None]
        if not values:
            raise EmptyResultSet
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        prepare = self.lhs.output_field.get_db_prep_value
        array = [prepare(value, connection, prepared=True) for value in values]
        return f"{lhs_sql} = ANY(%s)", (*lhs_params, array)
