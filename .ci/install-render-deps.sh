#!/usr/bin/env bash
# Installs what the LibreOffice render tests (tests/docx_libreoffice.rs) need on a clean Debian 12 machine:
# LibreOffice Writer (headless), poppler (pdftotext, pdfinfo, pdftoppm) and CJK fonts, plus the font
# aliases of .ci/fonts.conf so that 仿宋_GB2312, 楷体, 黑体, 方正小标宋简体, 宋体 … resolve to installed faces.
# Run as root (or with sudo). Idempotent.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi

export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update
$sudo apt-get install -y --no-install-recommends \
    libreoffice-writer-nogui \
    poppler-utils \
    fontconfig \
    fonts-noto-cjk \
    fonts-arphic-ukai \
    fonts-arphic-uming \
    fonts-wqy-zenhei

# The aliases apply system-wide (LibreOffice is started by the tests with a clean environment).
$sudo install -m 0644 "$here/fonts.conf" /etc/fonts/conf.d/99-zhenggai-gongwen.conf
$sudo fc-cache -f >/dev/null

# Show what the names resolve to, for the CI log.
for family in 仿宋_GB2312 楷体_GB2312 黑体 方正小标宋简体 宋体; do
    printf '%s → %s\n' "$family" "$(fc-match -f '%{family[0]}' "$family")"
done
command -v soffice >/dev/null
command -v pdftotext >/dev/null
