//! SQLite persistence: every record is a JSON document keyed by kind and id, written inside
//! one transaction per request, so a refused request leaves nothing behind and a restart
//! loses nothing.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// The SQL expression of a record's `status` member (activities'), indexed per table: the index
/// and [`Db::list_by_status`] must use the same text for SQLite to match them.
const STATUS: &str = "json_extract(json, '$.status')";

/// Which table a record lives in: the Turnkey world or the demo platform's own tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// Organizations, users, wallets, policies, activities.
    Turnkey,
    /// The platform backend's users, rules and decisions.
    Platform,
}

impl Table {
    fn name(self) -> &'static str {
        match self {
            Self::Turnkey => "records",
            Self::Platform => "platform_records",
        }
    }
}

/// A document the store can keep.
pub trait Record: Serialize + DeserializeOwned {
    /// The record kind (a namespace for ids).
    const KIND: &'static str;
    /// The table it lives in.
    const TABLE: Table = Table::Turnkey;
    /// Its id, unique within the kind.
    fn id(&self) -> &str;
    /// The organization it belongs to, for listing.
    fn org_id(&self) -> Option<&str>;
    /// A secondary lookup key (e.g. an activity's organization and fingerprint).
    fn lookup(&self) -> Option<String> {
        None
    }
}

/// The database.
#[derive(Debug)]
pub struct Store {
    conn: Mutex<Connection>,
}

/// A transaction on the database, handed to one request's work.
pub struct Db<'a> {
    tx: &'a Transaction<'a>,
}

impl Store {
    /// Opens (or creates) `sandbox.sqlite` in `dir`.
    ///
    /// # Errors
    /// [`ApiError::Internal`] when the directory or database cannot be created.
    pub fn open(dir: &Path) -> Result<Self, ApiError> {
        std::fs::create_dir_all(dir).map_err(ApiError::internal)?;
        let conn = Connection::open(dir.join("sandbox.sqlite"))?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = NORMAL;
             CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);",
        )?;
        for table in [Table::Turnkey, Table::Platform] {
            let t = table.name();
            conn.execute_batch(&format!(
                "CREATE TABLE IF NOT EXISTS {t} (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    kind TEXT NOT NULL, id TEXT NOT NULL, org_id TEXT, lookup TEXT,
                    json TEXT NOT NULL, UNIQUE(kind, id));
                 CREATE INDEX IF NOT EXISTS {t}_org ON {t}(kind, org_id);
                 CREATE INDEX IF NOT EXISTS {t}_lookup ON {t}(kind, lookup);
                 CREATE INDEX IF NOT EXISTS {t}_status ON {t}(kind, {STATUS});"
            ))?;
        }
        Ok(Self {
            conn: Mutex::new(conn),
        })
    }

    /// Runs `f` in a transaction: committed when it returns `Ok`, rolled back otherwise.
    ///
    /// # Errors
    /// Whatever `f` returns, or [`ApiError::Internal`] for storage failures.
    pub fn tx<T>(&self, f: impl FnOnce(&Db<'_>) -> Result<T, ApiError>) -> Result<T, ApiError> {
        let mut conn = self
            .conn
            .lock()
            .map_err(|_| ApiError::Internal("storage lock poisoned".to_owned()))?;
        let tx = conn.transaction()?;
        let out = f(&Db { tx: &tx })?;
        tx.commit()?;
        Ok(out)
    }
}

/// The query behind the `list_*` methods: a kind's records matching `clause`, oldest first.
fn list_sql(table: Table, clause: &str) -> String {
    format!(
        "SELECT json FROM {} WHERE kind = ?1 {clause} ORDER BY seq",
        table.name()
    )
}

/// [`Db::list_by_status`]'s condition, in the shape the `(kind, status)` index serves.
fn status_clause() -> String {
    format!("AND {STATUS} = ?2")
}

impl Db<'_> {
    /// A meta value.
    ///
    /// # Errors
    /// Storage failures.
    pub fn meta(&self, key: &str) -> Result<Option<String>, ApiError> {
        Ok(self
            .tx
            .query_row("SELECT value FROM meta WHERE key = ?1", params![key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Sets a meta value.
    ///
    /// # Errors
    /// Storage failures.
    pub fn set_meta(&self, key: &str, value: &str) -> Result<(), ApiError> {
        self.tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    /// Opens the savepoint an activity's execution runs in.
    ///
    /// # Errors
    /// Storage failures.
    pub fn savepoint(&self) -> Result<(), ApiError> {
        self.tx.execute_batch("SAVEPOINT execution")?;
        Ok(())
    }

    /// Keeps what was written since [`Db::savepoint`].
    ///
    /// # Errors
    /// Storage failures.
    pub fn release(&self) -> Result<(), ApiError> {
        self.tx.execute_batch("RELEASE SAVEPOINT execution")?;
        Ok(())
    }

    /// Undoes what was written since [`Db::savepoint`].
    ///
    /// # Errors
    /// Storage failures.
    pub fn rollback_to_savepoint(&self) -> Result<(), ApiError> {
        self.tx
            .execute_batch("ROLLBACK TO SAVEPOINT execution; RELEASE SAVEPOINT execution")?;
        Ok(())
    }

    /// Inserts or replaces a record.
    ///
    /// # Errors
    /// Storage failures.
    pub fn put<T: Record>(&self, record: &T) -> Result<(), ApiError> {
        let json = serde_json::to_string(record)?;
        self.tx.execute(
            &format!(
                "INSERT INTO {} (kind, id, org_id, lookup, json) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(kind, id) DO UPDATE SET org_id = excluded.org_id, lookup = excluded.lookup, json = excluded.json",
                T::TABLE.name()
            ),
            params![T::KIND, record.id(), record.org_id(), record.lookup(), json],
        )?;
        Ok(())
    }

    /// The record with this id.
    ///
    /// # Errors
    /// Storage failures.
    pub fn get<T: Record>(&self, id: &str) -> Result<Option<T>, ApiError> {
        let json: Option<String> = self
            .tx
            .query_row(
                &format!(
                    "SELECT json FROM {} WHERE kind = ?1 AND id = ?2",
                    T::TABLE.name()
                ),
                params![T::KIND, id],
                |r| r.get(0),
            )
            .optional()?;
        json.map(|j| serde_json::from_str(&j).map_err(ApiError::from))
            .transpose()
    }

    /// The first record with this lookup key.
    ///
    /// # Errors
    /// Storage failures.
    pub fn find<T: Record>(&self, lookup: &str) -> Result<Option<T>, ApiError> {
        let json: Option<String> = self
            .tx
            .query_row(
                &format!(
                    "SELECT json FROM {} WHERE kind = ?1 AND lookup = ?2 ORDER BY seq LIMIT 1",
                    T::TABLE.name()
                ),
                params![T::KIND, lookup],
                |r| r.get(0),
            )
            .optional()?;
        json.map(|j| serde_json::from_str(&j).map_err(ApiError::from))
            .transpose()
    }

    /// Every record of an organization, oldest first.
    ///
    /// # Errors
    /// Storage failures.
    pub fn list_by_org<T: Record>(&self, org_id: &str) -> Result<Vec<T>, ApiError> {
        self.list_where::<T>("AND org_id = ?2", Some(org_id))
    }

    /// Every record of a kind whose JSON `status` member is `status`, oldest first, through the
    /// `(kind, status)` expression index (the co-signer's "what is pending" across all
    /// organizations, without decoding every activity).
    ///
    /// # Errors
    /// Storage failures.
    pub fn list_by_status<T: Record>(&self, status: &str) -> Result<Vec<T>, ApiError> {
        self.list_where::<T>(&status_clause(), Some(status))
    }

    /// Every record of a kind, oldest first.
    ///
    /// # Errors
    /// Storage failures.
    pub fn list_all<T: Record>(&self) -> Result<Vec<T>, ApiError> {
        self.list_where::<T>("", None)
    }

    fn list_where<T: Record>(&self, clause: &str, arg: Option<&str>) -> Result<Vec<T>, ApiError> {
        let mut stmt = self.tx.prepare(&list_sql(T::TABLE, clause))?;
        let rows: Vec<String> = match arg {
            Some(arg) => stmt
                .query_map(params![T::KIND, arg], |r| r.get(0))?
                .collect::<Result<_, _>>()?,
            None => stmt
                .query_map(params![T::KIND], |r| r.get(0))?
                .collect::<Result<_, _>>()?,
        };
        rows.iter()
            .map(|j| serde_json::from_str(j).map_err(ApiError::from))
            .collect()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Job {
        id: String,
        org: String,
        status: Option<String>,
    }

    impl Record for Job {
        const KIND: &'static str = "job";
        fn id(&self) -> &str {
            &self.id
        }
        fn org_id(&self) -> Option<&str> {
            Some(&self.org)
        }
    }

    fn job(id: &str, org: &str, status: Option<&str>) -> Job {
        Job {
            id: id.to_owned(),
            org: org.to_owned(),
            status: status.map(str::to_owned),
        }
    }

    #[test]
    fn list_by_status_finds_every_organizations_matches_in_order_through_the_index() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        store
            .tx(|db| {
                db.put(&job("a", "org-1", Some("PENDING")))?;
                db.put(&job("b", "org-2", Some("DONE")))?;
                db.put(&job("c", "org-2", Some("PENDING")))?;
                db.put(&job("d", "org-3", None))?;
                db.put(&job("e", "org-1", Some("PENDING")))?;
                // An update moves a record out of the status (the index follows the JSON).
                db.put(&job("e", "org-1", Some("DONE")))
            })
            .unwrap();
        let ids = |status: &str| {
            store
                .tx(|db| db.list_by_status::<Job>(status))
                .unwrap()
                .into_iter()
                .map(|j| j.id)
                .collect::<Vec<_>>()
        };
        assert_eq!(ids("PENDING"), ["a", "c"]);
        assert_eq!(ids("DONE"), ["b", "e"]);
        assert!(ids("NONE").is_empty());

        // SQLite answers the co-signer's query from the (kind, status) index, not a scan.
        let plan: Vec<String> = store
            .tx(|db| {
                let sql = list_sql(Table::Turnkey, &status_clause());
                let mut stmt = db.tx.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
                let rows = stmt
                    .query_map(params!["job", "PENDING"], |r| r.get::<_, String>(3))?
                    .collect::<Result<_, _>>()?;
                Ok(rows)
            })
            .unwrap();
        assert!(
            plan.iter().any(|step| step.contains("records_status")),
            "{plan:?}"
        );
    }

    #[test]
    fn a_database_made_before_the_status_index_gets_it_on_open() {
        let dir = tempfile::tempdir().unwrap();
        let old = Connection::open(dir.path().join("sandbox.sqlite")).unwrap();
        old.execute_batch(
            "CREATE TABLE records (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                kind TEXT NOT NULL, id TEXT NOT NULL, org_id TEXT, lookup TEXT,
                json TEXT NOT NULL, UNIQUE(kind, id));
             INSERT INTO records (kind, id, org_id, json)
                VALUES ('job', 'old', 'org-1', '{\"id\":\"old\",\"org\":\"org-1\",\"status\":\"PENDING\"}');",
        )
        .unwrap();
        drop(old);
        for _ in 0..2 {
            let store = Store::open(dir.path()).unwrap();
            let found = store.tx(|db| db.list_by_status::<Job>("PENDING")).unwrap();
            assert_eq!(found, [job("old", "org-1", Some("PENDING"))]);
            let indexes: i64 = store
                .tx(|db| {
                    Ok(db.tx.query_row(
                        "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'records_status'",
                        [],
                        |r| r.get(0),
                    )?)
                })
                .unwrap();
            assert_eq!(indexes, 1);
        }
    }
}
