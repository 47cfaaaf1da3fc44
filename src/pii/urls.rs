//! Photo and avatar URLs found by their shape, outside photo keys (fourth round of #14).
//!
//! A URL (or an absolute path, as in an access log) is a photo of a person when
//!
//! * its host or path names a profile photo (`gravatar.com`, `avatars.githubusercontent.com`,
//!   `/avatars/`, `/profile_images/`, `/profile-pictures/`, `profile-displayphoto`,
//!   `/users/42/avatar.png`, `headshot`, `userpic`, `Profilbild`), or
//! * it ends in an image extension and its path names people or their photos
//!   (`/users/…`, `/photos/…`, `/fotos/perfil/…`, `/portraits/…`), or
//! * it ends in an image extension and a photo word stands right before it in prose
//!   (`her profile picture is at https://i.imgur.com/x.jpg`).
//!
//! Product images, icons, logos and static assets (`/products/sku-1/main.jpg`,
//! `/static/img/logo.png`, `check@2x.png`) name none of these and are kept.
#![allow(
    clippy::many_single_char_names,
    reason = "byte scanners read best as b (bytes), i/j (offsets), c (byte)"
)]

use super::detect::{at, before};

/// Longest URL read.
const MAX_URL: usize = 2048;

/// Words in a host or path that name a person's photo whatever the file type.
#[rustfmt::skip]
const STRONG: &[&[u8]] = &[
    b"avatar", b"gravatar", b"profile_image", b"profile-image", b"profileimage",
    b"profile_pic", b"profile-pic", b"profilepic", b"profile_photo", b"profile-photo",
    b"profilephoto", b"displayphoto", b"userpic", b"user_photo", b"user-photo", b"userphoto",
    b"headshot", b"selfie", b"profilbild", b"profielfoto", b"profilowe", b"foto_perfil",
    b"foto-perfil", b"fotoperfil",
];

/// Path words that name people or their photos: a photo when the URL is an image.
#[rustfmt::skip]
const WEAK: &[&[u8]] = &[
    b"photo", b"foto", b"picture", b"portrait", b"perfil", b"profile", b"users", b"user",
    b"members", b"people", b"staff", b"employees", b"customers", b"faces", b"bilder",
];

/// Prose words after which an image URL is a person's photo.
#[rustfmt::skip]
const CONTEXT: &[&[u8]] = &[
    b"photo", b"picture", b"avatar", b"foto", b"selfie", b"headshot", b"profilbild", b"portrait",
    b"zdj\xc4\x99cie",
];

/// File names of pictures that stand for nobody.
#[rustfmt::skip]
const GENERIC: &[&[u8]] = &[
    b"default", b"placeholder", b"blank", b"anonymous", b"missing", b"generic", b"fallback",
    b"empty", b"no-avatar", b"no_avatar", b"noavatar", b"unknown", b"sprite", b"logo", b"icon",
];

const IMAGE_EXT: &[&[u8]] = &[
    b".jpg", b".jpeg", b".png", b".webp", b".gif", b".heic", b".avif", b".bmp",
];

fn url_byte(c: u8) -> bool {
    c > b' ' && !matches!(c, b'"' | b'\'' | b'<' | b'>' | b'\\' | b'|' | b'`' | 0x7f)
}

/// Whether `hay` contains `needle`, ASCII case-insensitively.
fn contains_ci(hay: &[u8], needle: &[u8]) -> bool {
    let Some(&first) = needle.first() else {
        return true;
    };
    hay.len() >= needle.len()
        && hay.windows(needle.len()).any(|w| {
            w.first().is_some_and(|c| c.to_ascii_lowercase() == first)
                && w.eq_ignore_ascii_case(needle)
        })
}

/// End of the URL or path starting at `i`: up to whitespace or a quote, without trailing
/// sentence punctuation.
fn url_end(b: &[u8], i: usize) -> usize {
    let mut e = i;
    while url_byte(at(b, e)) && e - i < MAX_URL {
        e += 1;
    }
    while e > i && matches!(before(b, e), b'.' | b',' | b';' | b')' | b']' | b'}' | b':') {
        e -= 1;
    }
    e
}

/// Hosts (with a path prefix where the host serves other things too) that serve people's
/// photos: (host suffix, path prefix).
#[rustfmt::skip]
const PHOTO_HOSTS: &[(&[u8], &[u8])] = &[
    (b"gravatar.com", b"/avatar"), (b"googleusercontent.com", b"/a/"),
    (b"googleusercontent.com", b"/a-/"), (b"avatars.githubusercontent.com", b"/"),
    (b"fbcdn.net", b"/"), (b"fbsbx.com", b"/platform/profilepic"), (b"pravatar.cc", b"/"),
    (b"ca.slack-edge.com", b"/"), (b"twimg.com", b"/profile_images/"),
    (b"discordapp.com", b"/avatars/"), (b"licdn.com", b"/dms/image/"),
    (b"randomuser.me", b"/api/portraits/"),
];

fn ends_with_ci(s: &[u8], t: &[u8]) -> bool {
    s.len() >= t.len()
        && s.get(s.len() - t.len()..)
            .is_some_and(|x| x.eq_ignore_ascii_case(t))
}

fn starts_with_ci(s: &[u8], t: &[u8]) -> bool {
    s.get(..t.len()).is_some_and(|x| x.eq_ignore_ascii_case(t))
}

/// Whether the URL or path `u` (host and path, query included) is a person's photo; `prose`
/// says a photo word stands right before it.
fn is_photo(u: &[u8], prose: bool) -> bool {
    let path_end = u
        .iter()
        .position(|&c| c == b'?' || c == b'#')
        .unwrap_or(u.len());
    let whole = u.get(..path_end).unwrap_or(u);
    // split host and path (a relative path has no host)
    let (host, path) = match whole.windows(3).position(|w| w == b"://") {
        Some(p) => {
            let h = p + 3;
            let slash = whole
                .iter()
                .skip(h)
                .position(|&c| c == b'/')
                .map_or(whole.len(), |q| h + q);
            (
                whole.get(h..slash).unwrap_or(&[]),
                whole.get(slash..).unwrap_or(&[]),
            )
        }
        None => (&[][..], whole),
    };
    let image = IMAGE_EXT.iter().any(|x| ends_with_ci(path, x));
    let last = path.rsplit(|&c| c == b'/').next().unwrap_or(&[]);
    let opaque_last = last.len() >= 6 && last.iter().any(u8::is_ascii_digit);
    let host_hit = !host.is_empty()
        && PHOTO_HOSTS
            .iter()
            .any(|(h, p)| ends_with_ci(host, h) && starts_with_ci(path, p));
    if !(host_hit || image || opaque_last) {
        return false; // most URLs and API paths end here
    }
    // a default or placeholder picture is nobody's photo (`/img/avatar-default.png`)
    if GENERIC.iter().any(|g| contains_ci(last, g)) {
        return false;
    }
    if host_hit {
        return true;
    }
    // a photo marker in the path, and an image or an opaque id after it (`/avatar/205e…`);
    // not an endpoint (`/api/avatars/upload`)
    if STRONG.iter().any(|m| contains_ci(path, m)) {
        return true;
    }
    if !image {
        return false;
    }
    if prose {
        return true;
    }
    // a path segment that names people or their photos
    path.split(|&c| matches!(c, b'/' | b'_' | b'-' | b'.'))
        .any(|seg| {
            WEAK.iter().any(|w| {
                seg.len() >= w.len()
                    && seg.len() <= w.len() + 1
                    && seg
                        .get(..w.len())
                        .is_some_and(|h| h.eq_ignore_ascii_case(w))
            })
        })
}

/// Whether a photo word stands within the 40 bytes before `i`.
fn photo_word_before(b: &[u8], i: usize) -> bool {
    let s = i.saturating_sub(40);
    let window = b.get(s..i).unwrap_or(&[]);
    CONTEXT.iter().any(|w| contains_ci(window, w))
}

/// A photo URL starting at `i` (`http://` or `https://`): returns its end.
pub(crate) fn photo_url(b: &[u8], i: usize) -> Option<usize> {
    let rest = b.get(i..i + 8).unwrap_or(&[]);
    let scheme = if rest.starts_with(b"https://") {
        8
    } else if rest.starts_with(b"http://") {
        7
    } else {
        return None;
    };
    let e = url_end(b, i);
    if e <= i + scheme + 3 {
        return None;
    }
    let u = b.get(i..e)?;
    is_photo(u, photo_word_before(b, i)).then_some(e)
}

/// A photo path starting at the `/` at `i` (`GET /users/42/avatar.png`): returns its end.
pub(crate) fn photo_path(b: &[u8], i: usize) -> Option<usize> {
    if at(b, i) != b'/' || !at(b, i + 1).is_ascii_alphanumeric() {
        return None;
    }
    // one pass first: most paths (`/api/v1/orders?page=2`) end in neither an image nor an
    // opaque id
    let mut k = i;
    let (mut seg, mut seg_digit, mut dot) = (i, false, i);
    while url_byte(at(b, k)) && !matches!(at(b, k), b'?' | b'#') && k - i < MAX_URL {
        match at(b, k) {
            b'/' => {
                seg = k;
                seg_digit = false;
            }
            b'.' => dot = k,
            c if c.is_ascii_digit() => seg_digit = true,
            _ => {}
        }
        k += 1;
    }
    let image_like = dot > seg && k - dot <= 5;
    if !(image_like || (seg_digit && k - seg > 6)) {
        return None;
    }
    let e = url_end(b, i);
    let u = b.get(i..e)?;
    is_photo(u, false).then_some(e)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn url(s: &str) -> Option<&str> {
        let i = s.find("http")?;
        photo_url(s.as_bytes(), i).map(|e| &s[i..e])
    }

    #[test]
    fn photo_urls_are_found_by_host_or_path() {
        for s in [
            "https://www.gravatar.com/avatar/205e460b479e2e5b48aec07710c08d50?s=200",
            "https://lh3.googleusercontent.com/a/ACg8ocJ3kXq9v-s96-c",
            "https://pbs.twimg.com/profile_images/1683325380441128960/yRsRRjGO_400x400.jpg",
            "https://avatars.githubusercontent.com/u/583231?v=4",
            "https://cdn.example.com/avatars/u_88123/5f2c9a.jpg",
            "https://s3.amazonaws.com/uploads/profile-pictures/8812.png",
            "https://media.licdn.com/dms/image/C4D/profile-displayphoto-shrink_200_200/0/1",
            "https://cdn.example.es/fotos/perfil/7712.jpg",
            "https://images.example.org/staff/4412.jpg",
        ] {
            assert_eq!(url(s), Some(s), "{s}");
        }
        assert_eq!(
            url("see https://cdn.example.com/avatars/1.png, thanks"),
            Some("https://cdn.example.com/avatars/1.png")
        );
    }

    #[test]
    fn other_images_and_urls_are_kept() {
        for s in [
            "https://cdn.shop.example/products/sku-1182/main.jpg",
            "https://cdn.example.com/assets/icons/check@2x.png",
            "https://example.com/favicon.ico",
            "https://api.example.com/v1/users/42/orders",
            "https://github.com/org/repo/releases/download/v1.4.0/tool.tar.gz",
            "https://i.imgur.com/Xq7Ab9z.jpg",
        ] {
            assert_eq!(url(s), None, "{s}");
        }
    }

    #[test]
    fn an_image_after_a_photo_word_is_a_photo() {
        assert_eq!(
            url("her profile picture is at https://i.imgur.com/Xq7Ab9z.jpg now"),
            Some("https://i.imgur.com/Xq7Ab9z.jpg")
        );
        assert_eq!(url("docs at https://i.imgur.com/Xq7Ab9z.html"), None);
        assert_eq!(
            url("avatar: https://cdn.example.com/img/avatar-default.png"),
            None
        );
    }

    #[test]
    fn paths_in_access_logs() {
        let s = "\"GET /users/8812/avatar.png HTTP/1.1\" 200";
        let i = s.find('/').unwrap();
        assert_eq!(photo_path(s.as_bytes(), i), Some(i + 22));
        let s = "\"GET /static/img/logo.png HTTP/1.1\" 200";
        assert_eq!(photo_path(s.as_bytes(), s.find('/').unwrap()), None);
        let s = "GET /api/v2/users/42 200";
        assert_eq!(photo_path(s.as_bytes(), s.find('/').unwrap()), None);
    }
}
