// Files and folders boai writes as root in places another user owns (the cluster folder is the
// postgres user's, /tmp is everyone's): nothing is followed through a symbolic link, and a folder
// is used only when its owner and mode are what boai would have made.
#pragma once

#include <sys/types.h>

#include <expected>
#include <filesystem>
#include <optional>
#include <string>

#include "app/subprocess.hpp"
#include "base/error.hpp"

namespace boai::app {

// Replaces `path` with a new file of `text` (mode 0600, given to `owner` when set): written
// beside it under a fresh name (O_EXCL | O_NOFOLLOW) and renamed over it, so a link planted at
// `path` is replaced, never written through. Errors: data_dir_unwritable.
std::expected<void, Error> replace_file(const std::filesystem::path& path, const std::string& text,
                                        const std::optional<RunAs>& owner);

// Appends to an existing regular file that `uid` owns, without following a link. Errors:
// unsafe_path (a link, not a regular file, another owner, hard-linked), data_dir_unwritable.
std::expected<void, Error> append_file(const std::filesystem::path& path, const std::string& text,
                                       uid_t uid);

// A folder boai uses: a real folder (not a link) owned by `uid` that nobody else may write
// (mode & 022 clear, or the sticky bit for others). Error: unsafe_path, naming what is wrong.
std::expected<void, Error> check_folder(const std::filesystem::path& dir, uid_t uid);

// A private folder (the socket's, in /tmp): made with mode 0700 and given to `owner`; one that
// was there already is used only if it is a real folder owned by the owner with mode 0700.
// Errors: unsafe_path, data_dir_unwritable.
std::expected<void, Error> private_folder(const std::filesystem::path& dir,
                                          const std::optional<RunAs>& owner);

}  // namespace boai::app
