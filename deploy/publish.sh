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

# 网站目录中已有别人的文件（不是本脚本发布的网站，没有 .stdportal-site 标记）时不发布：发布会替换整个目录。
MARKER=".stdportal-site"
if [ -e "$WEB_ROOT" ] && { [ ! -d "$WEB_ROOT" ] || [ -L "$WEB_ROOT/$MARKER" ] || \
     { [ -n "$(ls -A "$WEB_ROOT")" ] && [ ! -f "$WEB_ROOT/$MARKER" ]; }; }; then
  log "网站目录 $WEB_ROOT 中已有其他文件，看起来不是 stdportal 发布的网站（没有 $MARKER 标记）：为免误删，未发布。" \
      "请把 WEB_ROOT 设为一个新的或空的目录，或确认其中的文件不再需要后自行清空"
  exit 1
fi

# 生成到项目中的 .site-publish/，发布后保留：下次只重新生成变了的页面。
BUILD_DIR="$ROOT/.site-publish"
log "生成网站"
if ! "$STDPORTAL" build --site-dir "$BUILD_DIR"; then
  log "网站生成失败，未发布；网站保持原样"
  exit 1
fi

log "发布到 $WEB_ROOT"
mkdir -p "$WEB_ROOT"
if command -v rsync >/dev/null 2>&1; then
  # 先复制新文件，最后删除旧文件：发布过程中网站一直可用。
  rsync -a --delete-delay "$BUILD_DIR"/ "$WEB_ROOT"/
else
  # 没有 rsync 时：复制到旁边新建的目录，再整体替换（临时目录的名字不会与已有的目录相同）。
  NEW="$(mktemp -d "$WEB_ROOT.new.XXXXXX")"
  OLD="$(mktemp -d "$WEB_ROOT.old.XXXXXX")"
  # 中途失败时不在 WEB_ROOT 旁留下副本；旧网站已移开的，放回原处。
  trap 'rm -rf "$NEW"; if [ -e "$OLD/site" ] && [ ! -e "$WEB_ROOT" ]; then mv "$OLD/site" "$WEB_ROOT"; fi; rmdir "$OLD" 2>/dev/null || true' EXIT
  chmod u=rwx,go=rx "$NEW"  # mktemp 建的目录只有属主能读，网站服务器需要读取
  cp -R "$BUILD_DIR"/. "$NEW"/
  mv "$WEB_ROOT" "$OLD/site"
  mv "$NEW" "$WEB_ROOT"
  rm -rf "$OLD"
fi
log "发布完成：$(git rev-parse --short HEAD 2>/dev/null || echo '?')"
