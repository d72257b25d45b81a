namespace Kefu.Server.Hosting;

/// <summary>The proxies Kefu trusts (section <c>Kefu:Hosting</c>); both empty (the default) trusts none.</summary>
internal sealed class HostingOptions
{
    public const string Section = "Kefu:Hosting";

    /// <summary>Proxy addresses whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed, comma-separated.</summary>
    public string KnownProxies { get; set; } = "";

    /// <summary>Address ranges (CIDR, e.g. <c>10.0.0.0/8</c>) whose forwarded headers are believed, comma-separated.</summary>
    public string KnownNetworks { get; set; } = "";
}
