namespace Kefu.Server.Hosting;

internal static class ListenAddresses
{
    /// <summary>Where Kefu listens when configuration names nothing.</summary>
    public const string Default = "http://localhost:8080";

    /// <summary>
    /// Listens on <see cref="Default"/> only when no address is configured at all. ASP.NET Core's own keys keep
    /// their meaning and precedence: <c>urls</c> (<c>--urls</c>, <c>ASPNETCORE_URLS</c>, <c>urls:</c> in
    /// kefu.yaml) wins over <c>http_ports</c> and <c>https_ports</c> (<c>ASPNETCORE_HTTP_PORTS</c>,
    /// <c>ASPNETCORE_HTTPS_PORTS</c>, set by the official .NET container images), which listen on every interface.
    /// </summary>
    public static IWebHostBuilder UseKefuDefaultUrl(this IWebHostBuilder webHost, IConfiguration configuration)
    {
        if (string.IsNullOrEmpty(configuration["urls"])
            && string.IsNullOrEmpty(configuration["http_ports"])
            && string.IsNullOrEmpty(configuration["https_ports"]))
        {
            webHost.UseUrls(Default);
        }
        return webHost;
    }
}
