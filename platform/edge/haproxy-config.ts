/**
 * The edge's HAProxy configuration, one home for every target: health checks every 500 ms take a dead
 * gateway replica out within a second, and a request whose connection failed is retried on another
 * replica, so one replica dying costs (almost) no client errors.
 */
export interface EdgeConfig {
  /** First comment line: who generated it, for what. */
  readonly title: string;
  /** `bind` address of the public frontend ('127.0.0.1:7300', ':8080'). */
  readonly bind: string;
  /** `bind` address of the stats frontend (/stats, /metrics, and /healthz for the container health check). */
  readonly statsBind: string;
  /** The gateway replicas (or their mesh proxies) as name and host:port. */
  readonly servers: readonly { readonly name: string; readonly address: string }[];
  /** The deliberately vulnerable switches in force (mode test). */
  readonly vulnerable: readonly string[];
  /** The admin socket (the local target's), if any. */
  readonly statsSocket?: string;
  /**
   * Whether HAProxy health-checks each server. @default true. Not where the one server is itself a
   * balanced pool (a Kubernetes Service): two failed checks, which can reach a deleted pod before the
   * Service forgets it, would take the whole pool out (503 for every request until the checks rise);
   * without checks a failed request is retried, and the Service picks a live replica.
   */
  readonly healthChecks?: boolean;
}

export function haproxyConfig(c: EdgeConfig): string {
  // Only /metrics needs the edge: a gateway answers it to anyone (Prometheus scrapes replicas
  // directly). /internal has no route on a hardened gateway, whose 404 is audited as a route probe.
  const internals = c.vulnerable.includes('expose-internals')
    ? '  # expose-internals (mode test): /metrics is passed through to the gateways.\n'
    : // Decoded first: the gateway's router decodes %6detrics into /metrics, so the raw path would let it through.
      '  # Internals are not served to the outside: Prometheus scrapes replicas directly.\n  http-request deny deny_status 403 if { path,url_dec -m beg /metrics }\n';
  const forwardedFor = c.vulnerable.includes('trust-forwarded-for')
    ? "  # trust-forwarded-for (mode test): the client's own X-Forwarded-For is kept and its address appended, as a plain proxy does.\n  http-request add-header X-Forwarded-For %[src]\n"
    : "  # The client's address replaces whatever X-Forwarded-For it sent, so it cannot spoof its identity for rate limits.\n  http-request set-header X-Forwarded-For %[src]\n";
  const check = c.healthChecks === false ? '' : ' check';
  const servers = c.servers.map((s) => `  server ${s.name} ${s.address}${check}`).join('\n');
  return `# ${c.title}
global
  log stdout format raw local0 warning
  maxconn 8192
${c.statsSocket ? `  stats socket ${c.statsSocket} mode 600 level admin\n` : ''}
defaults
  mode http
  log global
  option dontlognull
  timeout connect 1s
  timeout client 30s
  timeout server 15s
  timeout http-request 10s
  timeout http-keep-alive 10s
  retries 2
  option redispatch 1
  retry-on conn-failure empty-response response-timeout

frontend edge
  bind ${c.bind}
${internals}${forwardedFor}  http-request set-header X-Request-Id %[uuid] unless { req.hdr(x-request-id) -m found }
  default_backend gateways

backend gateways
  balance roundrobin
  option httpchk GET /healthz
  http-check expect status 200
  default-server inter 500ms fastinter 250ms downinter 500ms fall 2 rise 2
${servers}

frontend stats
  bind ${c.statsBind}
  monitor-uri /healthz
  http-request use-service prometheus-exporter if { path /metrics }
  stats enable
  stats uri /stats
  stats refresh 2s
`;
}
