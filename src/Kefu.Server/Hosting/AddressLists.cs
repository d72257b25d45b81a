using System.Net;

namespace Kefu.Server.Hosting;

/// <summary>Comma-separated address and range lists from configuration.</summary>
internal static class AddressLists
{
    private static readonly char[] Separators = [',', ';', ' '];

    public static string[] Entries(string? list) => (list ?? "").Split(Separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The addresses of <paramref name="list"/>; entries that are not addresses go to <paramref name="bad"/>.</summary>
    public static List<IPAddress> Addresses(string? list, List<string> bad)
    {
        var addresses = new List<IPAddress>();
        foreach (var entry in Entries(list))
        {
            if (IPAddress.TryParse(entry, out var address))
            {
                addresses.Add(address);
            }
            else
            {
                bad.Add(entry);
            }
        }
        return addresses;
    }

    /// <summary>The ranges of <paramref name="list"/> (a bare address is a range of one); others go to <paramref name="bad"/>.</summary>
    public static List<IPNetwork> Networks(string? list, List<string> bad)
    {
        var networks = new List<IPNetwork>();
        foreach (var entry in Entries(list))
        {
            if (IPNetwork.TryParse(entry, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                networks.Add(new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                bad.Add(entry);
            }
        }
        return networks;
    }

    /// <summary>Compares the IPv4 form of an IPv4-mapped IPv6 address, as Kestrel may report one.</summary>
    public static bool Contains(IEnumerable<IPNetwork> networks, IPAddress address)
    {
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return networks.Any(n => n.Contains(plain));
    }
}
