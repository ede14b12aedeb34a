"""Statements built once: the SQL of a query shape is compiled on first use and sent again with
new values, so the busiest one-row reads and writes skip Django's query compiler.

For a single-row read by key, compiling the query costs 4 to 6 times the database's own work
(on this machine: about 250 µs of Python per ORM read against 50 µs for the same SQL sent as
is; `bench/run.py` measures the requests this serves). The SQL, the column list and the value
converters all still come from the ORM, for the connection's own database, so a model change
follows and SQLite and PostgreSQL each get their own SQL.

    user_by_id = CompiledQuery(lambda pk: User.objects.filter(pk=pk))
    user = user_by_id.first(42)

`update_rows(Model, {"pk": 7}, {"state": "done"})` is the write: an UPDATE of the given
columns where the given columns are equal, with each value adapted by its field as the ORM
does (`get_db_prep_save`), its SQL kept per column set.

The function is called once per database connection with stand-in values; each stand-in must
reach the SQL unchanged (ids and other integers do), and every other value in the query is
fixed when it is compiled. A shape with a value the database adapts (a date, a list, a JSON
document) is refused at compile time instead of being sent wrong. The values given must be
integers: one outside the 64-bit range matches no row (as the ORM decides since Django 5.0)
instead of reaching the database as an error.
"""

import functools
import threading
import weakref

from django.db import connections
from django.db.models.query import ModelIterable

# Integers no row takes, one per parameter; found again in the compiled parameters.
_STAND_INS = tuple(-(7_000_000_000_000 + n) for n in range(1, 9))
_INT_RANGE = range(-(2**63), 2**63)


class _Shape:
    __slots__ = ("compiler", "converters", "sql", "slots", "constants", "init_list", "model", "models")

    def __init__(self, queryset, arity: int):
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        stand_ins = _STAND_INS[:arity]
        self.slots = [stand_ins.index(p) if p in stand_ins else None for p in params]
        if sorted(s for s in self.slots if s is not None) != list(range(arity)):
            raise ValueError(f"each value must reach the SQL once, unchanged: {params!r}")
        self.constants = list(params)
        self.compiler, self.sql = compiler, sql
        self.converters = compiler.get_converters([s[0] for s in compiler.select[: compiler.col_count]])
        self.models = queryset._iterable_class is ModelIterable
        if self.models:
            klass_info = compiler.klass_info
            if compiler.annotation_col_map or len(klass_info.get("related_klass_infos", [])):
                raise ValueError("annotations and select_related are not supported")
            fields = klass_info["select_fields"]
            self.init_list = [s[0].target.attname for s in compiler.select[fields[0]: fields[-1] + 1]]
            self.model = klass_info["model"]

    def params(self, values) -> list:
        return [self.constants[i] if slot is None else values[slot] for i, slot in enumerate(self.slots)]


class CompiledQuery:
    """A queryset shape compiled once per connection; see the module docstring."""

    def __init__(self, build):
        self.build = build
        self.arity = build.__code__.co_argcount
        self._shapes = weakref.WeakKeyDictionary()  # connection -> _Shape
        self._lock = threading.Lock()

    def _shape(self, connection) -> _Shape:
        shape = self._shapes.get(connection)
        if shape is None:
            queryset = self.build(*_STAND_INS[: self.arity])
            if queryset.db != connection.alias:
                raise ValueError("a compiled query runs on the default database")
            shape = _Shape(queryset, self.arity)
            with self._lock:
                self._shapes[connection] = shape
        return shape

    def rows(self, *values, using: str = "default") -> list:
        """The converted rows: model instances for a plain queryset, tuples for values_list()."""
        if any(type(v) is not int for v in values):
            raise TypeError(f"compiled queries take integers: {values!r}")
        if any(v not in _INT_RANGE for v in values):
            return []
        connection = connections[using]
        shape = self._shape(connection)
        with connection.cursor() as cursor:
            cursor.execute(shape.sql, shape.params(values))
            fetched = cursor.fetchall()
        rows = shape.compiler.apply_converters(fetched, shape.converters) if shape.converters else fetched
        if not shape.models:
            return [tuple(row) for row in rows]
        model, init_list = shape.model, shape.init_list
        return [model.from_db(using, init_list, row[: len(init_list)]) for row in rows]

    def first(self, *values, using: str = "default"):
        found = self.rows(*values, using=using)
        return found[0] if found else None


def _field(meta, name: str):
    return meta.pk if name == "pk" else meta.get_field(name)


@functools.cache
def _update_sql(model, alias: str, vendor: str, columns: tuple, keys: tuple) -> str:
    quote = connections[alias].ops.quote_name
    meta = model._meta
    sets = ", ".join(f"{quote(_field(meta, name).column)} = %s" for name in columns)
    where = " AND ".join(f"{quote(_field(meta, name).column)} = %s" for name in keys)
    # Only the model's own table and column names, quoted; every value is a parameter.
    return f"UPDATE {quote(meta.db_table)} SET {sets} WHERE {where}"  # noqa: S608


def update_rows(model, where: dict, values: dict, using: str = "default") -> int:
    """UPDATE `values` (field name -> value) of the rows whose `where` fields equal the given
    values; returns the number of rows changed. Sends no signals and sets no auto_now fields,
    like `QuerySet.update()`."""
    connection = connections[using]
    meta = model._meta
    if any(v is None for v in where.values()):
        raise ValueError("a None in where would match nothing")
    fields = [_field(meta, name) for name in values]
    if any(hasattr(field, "get_placeholder") for field in fields):
        raise ValueError("fields with their own placeholder are not supported")
    params = [field.get_db_prep_save(value, connection) for field, value in zip(fields, values.values(), strict=True)]
    params += [_field(meta, name).get_db_prep_value(value, connection) for name, value in where.items()]
    sql = _update_sql(model, using, connection.vendor, tuple(values), tuple(where))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount
