//! Small builders shared by the migrations: index and foreign key naming, table dropping and the
//! raw SQL escape hatch for the parts sea-query cannot express on both backends.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

/// `CREATE [UNIQUE] INDEX <table>_<col>_..._<key|idx> ON <table> (<cols>)`.
pub(crate) async fn index(
    manager: &SchemaManager<'_>,
    table: &'static str,
    cols: &[&'static str],
    unique: bool,
) -> Result<(), DbErr> {
    let suffix = if unique { "key" } else { "idx" };
    let name = format!("{table}_{}_{suffix}", cols.join("_"));
    named_index(manager, &name, table, cols, unique).await
}

/// Like [`index`], with an explicit name (PostgreSQL cuts identifiers at 63 bytes).
pub(crate) async fn named_index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: &'static str,
    cols: &[&'static str],
    unique: bool,
) -> Result<(), DbErr> {
    let mut stmt = Index::create();
    stmt.name(name).table(table);
    for col in cols {
        stmt.col(*col);
    }
    if unique {
        stmt.unique();
    }
    manager.create_index(stmt).await
}

/// A foreign key `<table>.<col> → <parent>.id` with no action: the parent cannot be deleted
/// while rows still point at it.
pub(crate) fn fk(
    table: &'static str,
    col: &'static str,
    parent: &'static str,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("{table}_{col}_fkey"))
        .from(table, col)
        .to(parent, "id")
        .to_owned()
}

/// A foreign key whose rows go with their parent (the child cannot outlive it).
pub(crate) fn fk_cascade(
    table: &'static str,
    col: &'static str,
    parent: &'static str,
) -> ForeignKeyCreateStatement {
    fk(table, col, parent)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

/// A foreign key on an optional reference that is cleared when the parent goes.
pub(crate) fn fk_set_null(
    table: &'static str,
    col: &'static str,
    parent: &'static str,
) -> ForeignKeyCreateStatement {
    fk(table, col, parent)
        .on_delete(ForeignKeyAction::SetNull)
        .to_owned()
}

/// Drops the tables in the order given (children first).
pub(crate) async fn drop_tables(
    manager: &SchemaManager<'_>,
    tables: &[&'static str],
) -> Result<(), DbErr> {
    for table in tables {
        manager
            .drop_table(Table::drop().table(*table).to_owned())
            .await?;
    }
    Ok(())
}

/// The backend, refusing any but the two the project runs on.
pub(crate) fn backend(manager: &SchemaManager<'_>) -> Result<DbBackend, DbErr> {
    match manager.get_database_backend() {
        backend @ (DbBackend::Sqlite | DbBackend::Postgres) => Ok(backend),
        other => Err(DbErr::Migration(format!(
            "unsupported database backend {other:?}: use SQLite or PostgreSQL"
        ))),
    }
}

/// Runs raw SQL statements in order, one statement each.
pub(crate) async fn exec(manager: &SchemaManager<'_>, statements: &[&str]) -> Result<(), DbErr> {
    let db = manager.get_connection();
    for sql in statements {
        db.execute_unprepared(sql).await?;
    }
    Ok(())
}

/// A text column that sorts and compares by code point on both databases: PostgreSQL gets
/// `COLLATE "C"` (SQLite's default is already binary), so lists page in the same order on both
/// whatever the server's locale.
pub(crate) fn sort_text(
    manager: &SchemaManager<'_>,
    name: &'static str,
) -> Result<ColumnDef, DbErr> {
    let mut col = ColumnDef::new(Alias::new(name));
    col.text().not_null();
    if backend(manager)? == DbBackend::Postgres {
        col.extra("COLLATE \"C\"");
    }
    Ok(col)
}
