using Kefu.Core.Diagnostics;
using Kefu.Server.Hosting;
using Kefu.Server.Visitors;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Realtime;

/// <summary><c>GET /ws</c>: refuses past the connection cap with 503, then runs the connection's receive loop.</summary>
internal static partial class WebSocketEndpoint
{
    public const string SubProtocol = "kefu.v1";

    public static Task HandleAsync(HttpContext http)
    {
        var services = http.RequestServices;
        return HandleAsync(
            http,
            services.GetRequiredService<ConnectionRegistry>(),
            services.GetRequiredService<ConnectionCap>(),
            services.GetRequiredService<ConnectionLoop>(),
            services.GetRequiredService<IOptions<LimitsOptions>>(),
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<IHostApplicationLifetime>(),
            services.GetRequiredService<ILogger<ConnectionLoop>>());
    }

    private static async Task HandleAsync(
        HttpContext http,
        ConnectionRegistry registry,
        ConnectionCap cap,
        ConnectionLoop loop,
        IOptions<LimitsOptions> limits,
        TimeProvider time,
        IHostApplicationLifetime lifetime,
        ILogger<ConnectionLoop> logger)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            await Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "WebSocket upgrade expected.").ExecuteAsync(http);
            return;
        }
        if (lifetime.ApplicationStopping.IsCancellationRequested || !registry.TryReserve(cap.Value))
        {
            KefuMetrics.ConnectionsRefused.Add(1, new KeyValuePair<string, object?>("reason", "cap"));
            LogRefused(logger, registry.UpgradedCount);
            http.Response.Headers.RetryAfter = "5";
            await Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "This server holds as many connections as it can; try another or retry later.").ExecuteAsync(http);
            return;
        }
        try
        {
            var offered = http.WebSockets.WebSocketRequestedProtocols;
            using var socket = await http.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
            {
                SubProtocol = offered.Contains(SubProtocol) ? SubProtocol : null,
                // Heartbeats are the protocol's ping frames; a keep-alive timer per socket would cost memory.
                KeepAliveInterval = TimeSpan.Zero,
            });
            var connection = new ClientConnection(
                registry.NextId(),
                socket,
                http.Request.Headers.Origin.ToString() is { Length: > 0 } origin ? origin : null,
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                http.Request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua[..Math.Min(ua.Length, 512)] : null,
                new QueueBudget(limits.Value.SendQueueFrames, limits.Value.SendQueueBytes, limits.Value.SendQueueStallSeconds * 1000L),
                time)
            {
                AcceptLocale = VisitorContext.AcceptLocale(http.Request),
            };
            // Not the stopping token: on shutdown the sweeper closes each socket with 1001 and the loop ends
            // when the client answers (or is aborted after a grace period).
            await loop.RunAsync(connection, http.RequestAborted);
        }
        finally
        {
            registry.ReleaseReservation();
        }
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Warning, Message = "Refused a WebSocket at the connection cap ({Count} open)")]
    private static partial void LogRefused(ILogger logger, int count);
}
