using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kefu.Server.Tests;

/// <summary>
/// A real Kestrel server on 127.0.0.1 where an OpenAI-compatible endpoint would be, that takes every chat
/// request and never answers it (a hanging model) until disposed.
/// </summary>
internal sealed class BotFakeLlm : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stop = new();
    private int _requests;

    private BotFakeLlm(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    /// <summary>Completes when the first request arrived (it is hanging from then on).</summary>
    public TaskCompletionSource FirstRequest { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Requests => Volatile.Read(ref _requests);

    public static async Task<BotFakeLlm> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        var fake = new BotFakeLlm(app);
        app.MapPost("/v1/chat/completions", fake.HangAsync);
        await app.StartAsync();
        fake.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/v1";
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
        _stop.Dispose();
    }

    private async Task HangAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        FirstRequest.TrySetResult();
        using var both = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stop.Token);
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, both.Token);
        }
        catch (OperationCanceledException)
        {
            // The client gave up (its timeout) or the test ended.
        }
    }
}
