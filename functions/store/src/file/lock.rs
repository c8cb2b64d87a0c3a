//! One server per database: `serve` holds an advisory lock on `<database>.lock` for as long as
//! it runs, and `restore` refuses to replace a database whose lock is held. The lock is the
//! operating system's (`flock`, through `File::try_lock`), so it goes away with the process, even
//! one that crashed. It is a file of its own, beside the database, never the database itself:
//! SQLite's own locks stay untouched.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

/// The lock, held until dropped.
#[derive(Debug)]
pub struct Held {
    _file: File,
    pub path: PathBuf,
}

/// The lock file of the database at `db`.
pub fn path_of(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// Takes the lock of the database at `db` without waiting; Err names who holds it when another
/// process does.
pub fn acquire(db: &Path) -> Result<Held, String> {
    let path = path_of(db);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            return Err(format!(
                "{} is in use by a running `communs serve` (it holds {})",
                db.display(),
                path.display()
            ));
        }
        Err(TryLockError::Error(error)) => return Err(format!("{}: {error}", path.display())),
    }
    Ok(Held { _file: file, path })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_second_holder_is_refused_until_the_first_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("communs.db");
        let first = super::acquire(&db).unwrap();
        let refused = super::acquire(&db).unwrap_err();
        assert!(refused.contains("in use"), "{refused}");
        drop(first);
        super::acquire(&db).unwrap();
    }
}
