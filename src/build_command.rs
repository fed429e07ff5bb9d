//! `rolebook build`: the catalog as a static website. The pages come from
//! `rolebook-web`; this module checks where the site may go, resolves
//! which roles to publish (`--roles`, `--family`, `--level`), renders the
//! pages and exports the downloads (`--no-pdf`, `--no-downloads`) on every
//! core into a staging directory beside it, and puts that in place in one
//! step (swapping it with an old site under `--force`).

use std::fs;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use anyhow::{Context, Result, bail};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rolebook_core::Catalog;
use rolebook_web::site::{self, Download, Downloads, Route, Selection, StaticSite};

use crate::files::{Staging, create_dir_under, parent_dir, rename_into_place, staging_dir};
use crate::output::{EXIT_OK, plural};

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Directory to write the site to; it must not exist or be empty,
    /// unless --force
    #[arg(value_name = "OUT")]
    pub out: PathBuf,
    /// Replace OUT even when it is not empty: the new site takes its place
    /// in one step once it is complete
    #[arg(long)]
    pub force: bool,
    /// Publish only these roles (ids, titles or aliases; comma-separated
    /// or repeated), with the skills and KPIs they use; other roles are
    /// named as plain text
    #[arg(long, value_name = "ROLES", value_delimiter = ',')]
    pub roles: Vec<String>,
    /// Publish only the roles of these families (comma-separated or
    /// repeated); with --level, those of both; --roles adds to them
    #[arg(long = "family", value_name = "FAMILY", value_delimiter = ',')]
    pub families: Vec<String>,
    /// Publish only the roles at these levels (comma-separated or
    /// repeated); with --family, those of both; --roles adds to them
    #[arg(long = "level", value_name = "LEVEL", value_delimiter = ',')]
    pub levels: Vec<String>,
    /// Write no PDF downloads (typesetting is most of a build's time);
    /// the pages offer the other formats
    #[arg(long, conflicts_with = "no_downloads")]
    pub no_pdf: bool,
    /// Write no downloads at all: no documents, no catalog tables, and no
    /// download links on the pages
    #[arg(long)]
    pub no_downloads: bool,
}

impl BuildArgs {
    /// Which downloads the site writes and its pages link.
    fn downloads(&self) -> Downloads {
        if self.no_downloads {
            Downloads::None
        } else if self.no_pdf {
            Downloads::NoPdf
        } else {
            Downloads::All
        }
    }
}

/// Sites with at least this many pages and downloads show a progress bar
/// on a terminal.
const BUILD_PROGRESS_MIN_FILES: usize = 200;

/// One file of the site to make: a page or a download.
enum Job<'a> {
    Page(&'a Route),
    Download(&'a Download),
}

/// `rolebook build`: the catalog as a static website. Pages are rendered
/// and downloads exported into a temporary sibling of OUT, on every core
/// (the downloads first, the slow PDFs first of all), and the directory is
/// renamed (with `--force`, swapped) into place when complete: a failure
/// leaves OUT as it was.
pub fn build(
    catalog: Catalog,
    catalog_dir: Option<&Path>,
    from_workspace: bool,
    args: &BuildArgs,
) -> Result<u8> {
    let started = std::time::Instant::now();
    // What to publish, checked before anything is written.
    let selection = Selection {
        roles: args.roles.clone(),
        families: args.families.clone(),
        levels: args.levels.clone(),
    };
    let publication = selection.publication(&catalog)?;
    let out = build_target(&args.out, args.force, catalog_dir)?;
    let parent = parent_dir(&out);
    fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    let staging = staging_dir(parent, ".rolebook-build-")?;

    // The footer names the catalog by its directory's name (`.` included);
    // where it lives on this machine is no business of readers.
    let label = match catalog_dir {
        None if from_workspace => "workspace".to_string(),
        None => "built-in catalog".to_string(),
        Some(dir) => fs::canonicalize(dir)
            .ok()
            .and_then(|dir| dir.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "catalog".to_string()),
    };
    let published_roles = publication.roles(&catalog).len();
    let all_roles = catalog.roles().len();
    let snapshot = site::published_snapshot(catalog, label, publication, args.downloads());
    let renderer = StaticSite::new(&snapshot);
    let routes = site::static_routes(&snapshot);
    let downloads = site::static_downloads(&snapshot);
    let assets = site::assets(&snapshot);

    let root = staging.path();
    let mut dirs: Vec<PathBuf> = routes
        .iter()
        .map(|r| r.file())
        .chain(downloads.iter().map(Download::file))
        .chain(assets.iter().map(|(file, _)| file.clone()))
        .filter_map(|file| Path::new(&file).parent().map(Path::to_path_buf))
        .collect();
    dirs.sort();
    dirs.dedup();
    for dir in &dirs {
        create_dir_under(root, dir)
            .with_context(|| format!("cannot create {}", root.join(dir).display()))?;
    }
    for (file, bytes) in &assets {
        let path = root.join(file);
        fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let jobs: Vec<Job<'_>> = downloads
        .iter()
        .map(Job::Download)
        .chain(routes.iter().map(Job::Page))
        .collect();
    let bar = build_progress(jobs.len());
    make_files(&renderer, &jobs, root, &bar)?;
    bar.finish_and_clear();
    // A temporary directory is private (0700); a website is for reading.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(root, fs::Permissions::from_mode(0o755))
            .with_context(|| format!("cannot write {}", root.display()))?;
    }
    put_in_place(staging, &out)?;

    let seconds = started.elapsed().as_secs_f64();
    let of_roles = if published_roles < all_roles {
        format!(" ({published_roles} of {all_roles} roles)")
    } else {
        String::new()
    };
    let files = routes.len() + downloads.len() + assets.len();
    let per_second = |n: usize| n as f64 / seconds.max(1e-9);
    eprintln!(
        "wrote {}{of_roles}, {} and {} to {} in {seconds:.2} s ({:.0} pages/s, {:.0} files/s); open {}",
        plural(routes.len(), "page", "pages"),
        plural(downloads.len(), "download", "downloads"),
        plural(assets.len(), "asset", "assets"),
        out.display(),
        per_second(routes.len()),
        per_second(files),
        out.join("index.html").display()
    );
    Ok(EXIT_OK)
}

/// Where the site goes, checked before any work: a directory that does
/// not exist or is empty, or with `force` any directory except one holding
/// the catalog being built or the current directory. A symbolic link is
/// followed, so the directory it points at is replaced, not the link.
fn build_target(out: &Path, force: bool, catalog_dir: Option<&Path>) -> Result<PathBuf> {
    let meta = match fs::metadata(out) {
        Ok(meta) => meta,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Ok(out.to_path_buf());
        }
        Err(error) => {
            return Err(error).with_context(|| format!("cannot read {}", out.display()));
        }
    };
    if !meta.is_dir() {
        bail!(
            "`{}` is a file; give a directory for the site",
            out.display()
        );
    }
    let out = fs::canonicalize(out).with_context(|| format!("cannot read {}", out.display()))?;
    let empty = fs::read_dir(&out)
        .with_context(|| format!("cannot read {}", out.display()))?
        .next()
        .is_none();
    if empty {
        return Ok(out);
    }
    if !force {
        bail!(
            "`{}` is not empty; choose a new directory, or give --force to replace its contents with the site",
            out.display()
        );
    }
    let inside = |path: &Path| fs::canonicalize(path).is_ok_and(|p| p.starts_with(&out));
    if catalog_dir.is_some_and(inside) {
        bail!(
            "`{}` holds the catalog being built; --force would delete it, so choose another directory",
            out.display()
        );
    }
    if std::env::current_dir().is_ok_and(|cwd| inside(&cwd)) {
        bail!(
            "`{}` holds the current directory; --force would delete it, so choose another directory",
            out.display()
        );
    }
    Ok(out)
}

fn build_progress(files: usize) -> ProgressBar {
    if files < BUILD_PROGRESS_MIN_FILES || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(files as u64), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {pos}/{len} files ({per_sec}, {eta} left)")
    {
        bar.set_style(style);
    }
    bar
}

/// Renders every page and exports every download in `jobs`, in order,
/// and writes them under `root`, on as many threads as there are cores;
/// stops at the first failure and returns it.
fn make_files(
    renderer: &StaticSite<'_>,
    jobs: &[Job<'_>],
    root: &Path,
    bar: &ProgressBar,
) -> Result<()> {
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, 8)
        .min(jobs.len().max(1));
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let work = || -> Result<()> {
        while !failed.load(Ordering::Relaxed) {
            let Some(job) = jobs.get(next.fetch_add(1, Ordering::Relaxed)) else {
                break;
            };
            let made = match job {
                Job::Page(route) => renderer
                    .render(route)
                    .map(|page| (page.file, page.html.into_bytes())),
                Job::Download(download) => renderer
                    .export(download)
                    .map(|bytes| (download.file(), bytes)),
            };
            let written = made.map_err(anyhow::Error::from).and_then(|(file, bytes)| {
                let path = root.join(file);
                fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))
            });
            if let Err(error) = written {
                failed.store(true, Ordering::Relaxed);
                return Err(error);
            }
            bar.inc(1);
        }
        Ok(())
    };
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads).map(|_| scope.spawn(work)).collect();
        let mut first = Ok(());
        for worker in workers {
            let result = worker
                .join()
                .unwrap_or_else(|_| Err(anyhow::anyhow!("a page renderer or exporter crashed")));
            if first.is_ok() {
                first = result;
            }
        }
        first
    })
}

/// Moves the finished site from `staging` to `out`: a rename when `out`
/// does not exist or is empty; otherwise the two directories are swapped
/// (atomically on Linux with `RENAME_EXCHANGE`; elsewhere by two renames)
/// and the old site is deleted. On failure `out` is left as it was and
/// the staging directory is removed.
fn put_in_place(staging: Staging, out: &Path) -> Result<()> {
    let staged = staging.path().to_path_buf();
    let cannot = || format!("cannot put the site in place at {}", out.display());
    let empty_dir = out.is_dir()
        && fs::read_dir(out)
            .with_context(|| format!("cannot read {}", out.display()))?
            .next()
            .is_none();
    if !out.exists() || empty_dir {
        return rename_into_place(staging, out).with_context(cannot);
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        if renameat_with(CWD, &staged, CWD, out, RenameFlags::EXCHANGE).is_ok() {
            // The staging path now holds the old site; dropping the guard
            // deletes it.
            return staging.close().with_context(|| {
                format!(
                    "the site is in place; cannot delete the old one at {}",
                    staged.display()
                )
            });
        }
    }
    swap_by_renames(&staged, out)?;
    staging.keep();
    Ok(())
}

/// Puts `staged` in the place of the directory `out` by two renames (`out`
/// aside, `staged` in), putting `out` back if the second fails, then
/// deletes the old directory.
fn swap_by_renames(staged: &Path, out: &Path) -> Result<()> {
    let cannot = || format!("cannot put the site in place at {}", out.display());
    let old = parent_dir(out).join(format!(
        ".rolebook-old-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos())
    ));
    fs::rename(out, &old).with_context(cannot)?;
    if let Err(error) = fs::rename(staged, out) {
        let _ = fs::rename(&old, out);
        return Err(error).with_context(cannot);
    }
    fs::remove_dir_all(&old).with_context(|| {
        format!(
            "the site is in place; cannot delete the old one at {}",
            old.display()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::files::tests::names;

    #[test]
    fn swapping_by_renames_replaces_the_site_or_leaves_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (staged, out) = (dir.path().join(".staged"), dir.path().join("site"));
        fs::create_dir_all(out.join("roles")).expect("old site");
        fs::write(out.join("roles/old.html"), "old").expect("old page");
        fs::create_dir(&staged).expect("new site");
        fs::write(staged.join("index.html"), "new").expect("new page");
        swap_by_renames(&staged, &out).expect("swapped");
        assert_eq!(names(&out), ["index.html"]);
        assert_eq!(names(dir.path()), ["site"], "the old site is deleted");
        // A staged directory that is gone: the old site is put back.
        let error = swap_by_renames(&staged, &out).expect_err("nothing staged");
        assert!(
            error
                .to_string()
                .starts_with("cannot put the site in place"),
            "{error}"
        );
        assert_eq!(names(&out), ["index.html"]);
        assert_eq!(names(dir.path()), ["site"]);
    }
}
