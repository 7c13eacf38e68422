#!/usr/bin/python3.11
"""Copies one member of a zip archive to a file: the model store's step for
upstream downloads that come packed in zips (assets/models.yaml `upstream`
files with a `member`), before it runs an export recipe.

  zip_member.py ZIP MEMBER OUT

MEMBER is a path inside the archive or, when no member has that path, the file
name of exactly one member (archives often wrap their files in a folder).
Exits 1 with a message naming the archive and the member when ZIP is not a
readable zip (a truncated download, an HTML page instead of the file), holds no
such member (or several), or the member is damaged (CRC error, cut short).
"""
import shutil
import sys
import zipfile
import zlib


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(1)


def find_member(archive, zip_path, member):
    names = [n for n in archive.namelist() if not n.endswith("/") and not n.startswith("__MACOSX/")]
    if member in names:
        return member
    by_name = [n for n in names if n.rsplit("/", 1)[-1] == member]
    if len(by_name) == 1:
        return by_name[0]
    if by_name:
        fail(f"{zip_path}: several members are called '{member}': {', '.join(by_name)}")
    shown = ", ".join(names[:20]) + (", ..." if len(names) > 20 else "")
    fail(f"{zip_path} holds no member '{member}' (it holds: {shown or 'nothing'})")


def main():
    if len(sys.argv) != 4:
        fail("usage: zip_member.py ZIP MEMBER OUT")
    zip_path, member, out = sys.argv[1:]
    try:
        archive = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError) as e:
        fail(f"{zip_path} is not a readable zip archive ({e}): a truncated download, or a web page instead of "
             "the file?")
    with archive:
        name = find_member(archive, zip_path, member)
        try:
            with archive.open(name) as src, open(out, "wb") as dst:
                shutil.copyfileobj(src, dst)
        except (zipfile.BadZipFile, zlib.error, EOFError) as e:
            fail(f"{zip_path}: member '{name}' is damaged ({e})")


if __name__ == "__main__":
    main()
