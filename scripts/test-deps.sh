# Sourced by ./chl test: installs what the tests need beyond Maven, idempotently.
#  - the MCP Inspector CLI (a real MCP client nobody here wrote), from the npm registry, under .ci/node/
#  - Debian's chromium and chromium-driver for the console's browser tests (when apt-get can install them: as root)
chl_install_test_deps() {
  local root="$1" inspector_version="0.15.0"
  local bin="$root/.ci/node/node_modules/.bin/mcp-inspector"
  if [ ! -x "$bin" ]; then
    if ! command -v npm >/dev/null 2>&1; then
      echo "chl: npm is needed for the MCP client tests; install Node.js 20+ (apt-get install nodejs npm)" >&2
      return 1
    fi
    echo "chl: installing @modelcontextprotocol/inspector@$inspector_version for the MCP tests..." >&2
    mkdir -p "$root/.ci/node"
    (cd "$root/.ci/node" && npm install --silent --no-audit --no-fund "@modelcontextprotocol/inspector@$inspector_version" >&2)
  fi
  export CHL_MCP_INSPECTOR="$bin"
  chl_install_browser
}

chl_install_browser() {
  if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    return 0
  fi
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "chl: installing chromium and chromium-driver (Debian packages) for the console's browser tests..." >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver >&2 \
      || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver >&2; }
  else
    echo "chl: the console's browser tests need /usr/bin/chromium and /usr/bin/chromedriver:" >&2
    echo "     sudo apt-get install chromium chromium-driver" >&2
    return 1
  fi
}
