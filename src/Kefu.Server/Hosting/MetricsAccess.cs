using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Hosting;

/// <summary>
/// Who may read <c>/metrics</c>: a direct request from loopback, an address in
/// <c>Kefu:Metrics:AllowedNetworks</c>, or anyone with <c>Authorization: Bearer</c> <c>Kefu:Metrics:Token</c>.
/// A loopback request that a proxy forwarded (it carries <c>X-Forwarded-For</c>) is not direct: a proxy on the
/// same machine must not open the endpoint to the public.
/// </summary>
internal sealed class MetricsAccess(IOptions<MetricsOptions> options)
{
    private readonly List<IPNetwork> _networks = AddressLists.Networks(options.Value.AllowedNetworks, []);
    private readonly byte[] _token = Encoding.UTF8.GetBytes(options.Value.Token.Trim());

    public bool Allows(HttpContext http)
    {
        var authorization = http.Request.Headers.Authorization.ToString();
        if (_token.Length > 0 && authorization.StartsWith("Bearer ", StringComparison.Ordinal)
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(authorization[7..].Trim()), _token))
        {
            return true;
        }
        if (http.Connection.RemoteIpAddress is not { } address)
        {
            return false;
        }
        if (AddressLists.Contains(_networks, address))
        {
            return true;
        }
        var forwarded = http.Request.Headers.ContainsKey("X-Forwarded-For") || http.Request.Headers.ContainsKey("X-Original-For");
        return !forwarded && IPAddress.IsLoopback(address);
    }
}
