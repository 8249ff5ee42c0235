# Sourced by ./chl test: installs what the tests need beyond Maven, idempotently.
#  - the MCP Inspector CLI (a real MCP client nobody here wrote), from the npm registry, under .ci/node/
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
}
