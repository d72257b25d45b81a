namespace Kefu.Server.Hosting;

/// <summary>The Prometheus endpoint (section <c>Kefu:Metrics</c>).</summary>
internal sealed class MetricsOptions
{
    public const string Section = "Kefu:Metrics";

    /// <summary>Serves <c>GET /metrics</c>. On by default, readable only as <see cref="MetricsAccess"/> allows.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Address ranges (CIDR) besides loopback that may read <c>/metrics</c>, comma-separated.</summary>
    public string AllowedNetworks { get; set; } = "";

    /// <summary>A bearer token that lets any address read <c>/metrics</c> (16+ characters); empty: none.</summary>
    public string Token { get; set; } = "";
}
