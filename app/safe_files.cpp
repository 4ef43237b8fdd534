// Writing and checking as root without following links: open(2) with O_NOFOLLOW, lstat(2), and a
// rename(2) over the old name.
#include "app/safe_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace fs = std::filesystem;

namespace boai::app {

namespace {

Error unsafe(const fs::path& path, const std::string& why) {
  return make_error("unsafe_path", path.string() + " " + why + ": boai will not use it");
}

Error unwritable(const fs::path& path) {
  return make_error("data_dir_unwritable",
                    "cannot write " + path.string() + ": " + std::strerror(errno));
}

bool write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    auto n = write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

std::expected<void, Error> replace_file(const fs::path& path, const std::string& text,
                                        const std::optional<RunAs>& owner) {
  auto fresh = path;
  fresh += ".new-" + std::to_string(getpid());
  unlink(fresh.c_str());  // a leftover of a crash, or a planted link: the name only goes
  int fd = open(fresh.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    return std::unexpected(unwritable(fresh));
  }
  bool ok =
      write_all(fd, text) && (!owner || fchown(fd, owner->uid, owner->gid) == 0) && fsync(fd) == 0;
  ok = close(fd) == 0 && ok;
  if (!ok || rename(fresh.c_str(), path.c_str()) != 0) {
    auto error = unwritable(path);
    unlink(fresh.c_str());
    return std::unexpected(error);
  }
  return {};
}

std::expected<void, Error> append_file(const fs::path& path, const std::string& text, uid_t uid) {
  int fd = open(path.c_str(), O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    return std::unexpected(errno == ELOOP ? unsafe(path, "is a symbolic link") : unwritable(path));
  }
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != uid || st.st_nlink != 1) {
    close(fd);
    return std::unexpected(unsafe(path, "is not a file of the cluster's owner alone"));
  }
  bool ok = write_all(fd, text);
  ok = close(fd) == 0 && ok;
  if (!ok) {
    return std::unexpected(unwritable(path));
  }
  return {};
}

std::expected<void, Error> check_folder(const fs::path& dir, uid_t uid) {
  struct stat st {};
  if (lstat(dir.c_str(), &st) != 0) {
    return std::unexpected(unsafe(dir, "cannot be looked at"));
  }
  if (S_ISLNK(st.st_mode) || !S_ISDIR(st.st_mode)) {
    return std::unexpected(unsafe(dir, "is not a folder (a symbolic link?)"));
  }
  if (st.st_uid != uid && st.st_uid != 0) {
    return std::unexpected(unsafe(dir, "belongs to user " + std::to_string(st.st_uid)));
  }
  bool others_write = (st.st_mode & S_IWOTH) != 0 && (st.st_mode & S_ISVTX) == 0;
  if ((st.st_mode & S_IWGRP) != 0 || others_write) {
    return std::unexpected(unsafe(dir, "can be written by others"));
  }
  return {};
}

std::expected<void, Error> private_folder(const fs::path& dir, const std::optional<RunAs>& owner) {
  uid_t uid = owner ? owner->uid : geteuid();
  if (mkdir(dir.c_str(), 0700) == 0) {
    if (owner && lchown(dir.c_str(), owner->uid, owner->gid) != 0) {
      return std::unexpected(unwritable(dir));
    }
  } else if (errno != EEXIST) {
    return std::unexpected(unwritable(dir));
  }
  struct stat st {};
  if (lstat(dir.c_str(), &st) != 0 || S_ISLNK(st.st_mode) || !S_ISDIR(st.st_mode)) {
    return std::unexpected(unsafe(dir, "is not a folder (a symbolic link?)"));
  }
  if (st.st_uid != uid || (st.st_mode & 07777) != 0700) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%o", static_cast<unsigned>(st.st_mode & 07777));
    return std::unexpected(unsafe(dir, "was made by someone else (owner " +
                                           std::to_string(st.st_uid) + ", mode " + mode + ")"));
  }
  return {};
}

}  // namespace boai::app
