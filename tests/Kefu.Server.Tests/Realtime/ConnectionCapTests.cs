using Kefu.Server.Realtime;

namespace Kefu.Server.Tests.Realtime;

public sealed class ConnectionCapTests
{
    [Theory]
    // open-file limit, descriptors open at start, configured cap → accepted sockets, WebSockets
    [InlineData(20_000, 300, 0, 19_300, 19_200)]
    [InlineData(20_000, 300, 5_000, 19_300, 5_000)]
    [InlineData(20_000, 300, 50_000, 19_300, 19_200)]
    [InlineData(1_024, 300, 0, 524, 498)]
    [InlineData(1_000_000, 300, 0, 999_300, 999_200)]
    [InlineData(400, 300, 0, 32, 16)]
    public void Sockets_stay_below_the_open_file_limit_with_room_for_the_descriptors_already_open(
        long openFileLimit, int openAtStart, int configured, int acceptLimit, int webSockets)
    {
        var cap = new ConnectionCap(openFileLimit, openAtStart, configured);
        Assert.Equal(acceptLimit, cap.AcceptLimit);
        Assert.Equal(webSockets, cap.Value);
        Assert.True(cap.Value <= cap.AcceptLimit);
    }
}
