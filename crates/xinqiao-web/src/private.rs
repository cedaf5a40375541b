//! Files only the service account may read: the data directory is 0700 and every file in it
//! (the database, its WAL, the search index, secrets, backups) 0600, whatever the umask the
//! process was started with. The process's own umask is set to 077 so that files SQLite and
//! tantivy create later are private too; what already exists is corrected at start.

use std::path::Path;

/// Makes every file this process creates from now on private to its owner (umask 077).
pub fn restrict_new_files() {
    #[cfg(unix)]
    {
        use rustix::fs::Mode;
        rustix::process::umask(Mode::from_raw_mode(0o077));
    }
}

/// Sets `dir` to 0700 and everything under it to 0700 (directories) or 0600 (files), without
/// following symbolic links. Returns how many entries it changed.
pub fn secure_tree(dir: &Path) -> std::io::Result<usize> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mut changed = 0;
        let mut stack = vec![dir.to_path_buf()];
        while let Some(path) = stack.pop() {
            let meta = std::fs::symlink_metadata(&path)?;
            if meta.file_type().is_symlink() {
                continue;
            }
            let want = if meta.is_dir() { 0o700 } else { 0o600 };
            if meta.permissions().mode() & 0o777 != want {
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(want))?;
                changed += 1;
            }
            if meta.is_dir() {
                for entry in std::fs::read_dir(&path)? {
                    stack.push(entry?.path());
                }
            }
        }
        Ok(changed)
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(0)
    }
}

/// Makes one file (a backup, an export) 0600.
pub fn secure_file(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_tree_left_world_readable_is_closed() {
        let dir = std::env::temp_dir().join(format!("xinqiao-private-{}", xinqiao_store::new_id()));
        std::fs::create_dir_all(dir.join("search-index")).unwrap();
        std::fs::write(dir.join("xinqiao.db"), b"x").unwrap();
        std::fs::write(dir.join("search-index/meta.json"), b"{}").unwrap();
        for p in [&dir, &dir.join("search-index")] {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        for p in [dir.join("xinqiao.db"), dir.join("search-index/meta.json")] {
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
        }
        assert_eq!(secure_tree(&dir).unwrap(), 4);
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&dir.join("search-index")), 0o700);
        assert_eq!(mode(&dir.join("xinqiao.db")), 0o600);
        assert_eq!(mode(&dir.join("search-index/meta.json")), 0o600);
        assert_eq!(secure_tree(&dir).unwrap(), 0, "nothing left to change");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
