#!/usr/bin/env bash
# stdportal — 内网服务器上的发布脚本：拉取最新数据，检查，生成网站，放到网站目录。
#
# 用法（在项目的 git 工作副本中，或任意目录下用绝对路径调用）：
#   WEB_ROOT=/var/www/bzk bash deploy/publish.sh
# 定时运行（crontab -e，每 10 分钟一次）：
#   */10 * * * * WEB_ROOT=/var/www/bzk bash /srv/stdportal/deploy/publish.sh >>/var/log/stdportal-publish.log 2>&1
#
# 环境变量：
#   WEB_ROOT   必填。网站目录（nginx 等静态网站服务器的根目录或子目录）
#   BRANCH     要发布的分支，默认 main
#   NO_PULL=1  不执行 git pull（工作副本已由其他方式更新时）
#   STDPORTAL  stdportal 命令，默认 stdportal（如 /srv/venv/bin/stdportal）
#
# 任何一步失败都会停止并以非 0 退出，网站目录保持原样（旧网站继续在线）。
set -euo pipefail

: "${WEB_ROOT:?请设置环境变量 WEB_ROOT（网站目录），如 WEB_ROOT=/var/www/bzk}"
BRANCH="${BRANCH:-main}"
STDPORTAL="${STDPORTAL:-stdportal}"
export NO_MKDOCS_2_WARNING=1

cd "$(dirname "$0")/.."
ROOT="$(pwd)"
log() { printf '%s %s\n' "$(date '+%Y-%m-%d %H:%M:%S')" "$*"; }

# 同一时间只运行一个发布（定时任务重叠时，后来的直接退出）。
exec 9>"$ROOT/.site-publish.lock"
if command -v flock >/dev/null 2>&1 && ! flock -n 9; then
  log "另一个发布正在进行，本次跳过"
  exit 0
fi

if [ "${NO_PULL:-0}" != "1" ]; then
  log "拉取 $BRANCH 分支的最新内容"
  git fetch --quiet origin "$BRANCH"
  git checkout --quiet "$BRANCH"
  git merge --quiet --ff-only "origin/$BRANCH"
fi

log "检查标准数据"
if ! "$STDPORTAL" check; then
  log "标准数据有错误，未发布；网站保持原样"
  exit 1
fi

BUILD_DIR="$ROOT/.site-publish"
rm -rf "$BUILD_DIR"
log "生成网站"
if ! "$STDPORTAL" build --site-dir "$BUILD_DIR"; then
  rm -rf "$BUILD_DIR"
  log "网站生成失败，未发布；网站保持原样"
  exit 1
fi

log "发布到 $WEB_ROOT"
mkdir -p "$WEB_ROOT"
if command -v rsync >/dev/null 2>&1; then
  # 先复制新文件，最后删除旧文件：发布过程中网站一直可用。
  rsync -a --delete-delay "$BUILD_DIR"/ "$WEB_ROOT"/
else
  # 没有 rsync 时：复制到旁边的新目录，再整体替换。
  NEW="$WEB_ROOT.new"
  OLD="$WEB_ROOT.old"
  rm -rf "$NEW" "$OLD"
  cp -R "$BUILD_DIR" "$NEW"
  mv "$WEB_ROOT" "$OLD"
  mv "$NEW" "$WEB_ROOT"
  rm -rf "$OLD"
fi
rm -rf "$BUILD_DIR"
log "发布完成：$(git rev-parse --short HEAD 2>/dev/null || echo '?')"
