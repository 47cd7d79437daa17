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


def delete_rows(queryset):
    """DELETE the rows of ``queryset`` in one statement, without loading them
    or sending a signal per row; returns how many went.

    For bulk writers that announce their change once themselves (the studio
    import sends ``studios_imported`` and invalidates the page cache), and
    only for rows no other row references (link tables): nothing cascades.
    A per-row ``post_delete`` (any receiver makes Django fetch every row)
    costs a search-index update per studio, quadratic in a large import.
    """
    return queryset._raw_delete(queryset.db)
