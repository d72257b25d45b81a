using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Hosting;

/// <summary>
/// Behind a reverse proxy, takes the client's address and scheme from <c>X-Forwarded-For</c> and
/// <c>X-Forwarded-Proto</c>, but only on requests that come from <c>Kefu:Hosting:KnownProxies</c> or
/// <c>Kefu:Hosting:KnownNetworks</c>: anyone else's headers are ignored, so a client that reaches a node
/// directly cannot pick the address that per-address limits and visitor context see. Off when both are empty.
/// </summary>
internal static class ForwardedHeadersFeature
{
    public static IServiceCollection AddKefuForwardedHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HostingOptions>().Bind(configuration.GetSection(HostingOptions.Section)).ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<HostingOptions>>((forwarded, hosting) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Only what is configured is trusted (not even loopback, ASP.NET Core's default). No limit on the
            // number of entries: the chain is walked from the right and stops at the first untrusted hop.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            forwarded.ForwardLimit = null;
            // Entries that do not parse stop the start (OptionsValidators) before this runs.
            var ignored = new List<string>();
            foreach (var address in AddressLists.Addresses(hosting.Value.KnownProxies, ignored))
            {
                forwarded.KnownProxies.Add(address);
            }
            foreach (var network in AddressLists.Networks(hosting.Value.KnownNetworks, ignored))
            {
                forwarded.KnownIPNetworks.Add(network);
            }
        });
        return services;
    }

    /// <summary>First in the pipeline, so everything after it sees the client's address.</summary>
    public static IApplicationBuilder UseKefuForwardedHeaders(this IApplicationBuilder app)
    {
        var hosting = app.ApplicationServices.GetRequiredService<IOptions<HostingOptions>>().Value;
        if (AddressLists.Entries(hosting.KnownProxies).Length + AddressLists.Entries(hosting.KnownNetworks).Length > 0)
        {
            app.UseForwardedHeaders();
        }
        return app;
    }
}
