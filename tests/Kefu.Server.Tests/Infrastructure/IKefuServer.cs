namespace Kefu.Server.Tests.Infrastructure;

/// <summary>A Kefu server under test: a separate process (<see cref="ServerProcess"/>) or in process on a fake clock (<see cref="FakeClockServer"/>).</summary>
internal interface IKefuServer
{
    HttpClient Http { get; }

    Task<string> AdminTokenAsync();

    /// <summary>Opens a WebSocket with the given token and says hello; returns the client and the welcome frame.</summary>
    Task<(ProtocolClient Client, System.Text.Json.Nodes.JsonObject Welcome)> HelloAsync(string token);
}
