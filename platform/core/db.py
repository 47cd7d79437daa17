from django.db import connection


def update_rows(model, objects, fields):
    """UPDATE many rows by primary key in one executemany.

    Django's bulk_update builds a CASE expression per field, which grows
    quadratically with the batch; imports write thousands of rows at a time.
    """
    if not objects:
        return
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    assignments = ", ".join(
        f"{connection.ops.quote_name(field.column)} = %s" for field in columns
    )
    # Only identifiers from the model's own metadata (quoted) enter the text;
    # every value is a parameter.
    table = connection.ops.quote_name(meta.db_table)
    key = connection.ops.quote_name(meta.pk.column)
    sql = f"UPDATE {table} SET {assignments} WHERE {key} = %s"  # noqa: S608
    rows = [
        [
            field.get_db_prep_save(getattr(obj, field.attname), connection)
            for field in columns
        ]
        + [obj.pk]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
