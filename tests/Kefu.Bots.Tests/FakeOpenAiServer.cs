using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kefu.Bots.Tests;

/// <summary>
/// A real Kestrel server on 127.0.0.1 speaking just enough of the OpenAI chat-completions API:
/// it answers with <see cref="Reply"/>, or stalls, or fails, as the test sets <see cref="Mode"/>.
/// </summary>
internal sealed class FakeOpenAiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private FakeOpenAiServer(WebApplication app) => _app = app;

    public enum Behaviour
    {
        Answer,
        Stall,
        Fail,
    }

    public Behaviour Mode { get; set; } = Behaviour.Answer;

    public string Reply { get; set; } = "ok";

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>The prompt of the last request, all messages joined.</summary>
    public string LastPrompt { get; private set; } = "";

    public string BaseUrl { get; private set; } = "";

    public static async Task<FakeOpenAiServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        var server = new FakeOpenAiServer(app);
        app.MapPost("/v1/chat/completions", server.HandleAsync);
        await app.StartAsync().Within();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = address + "/v1";
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(Bounded.Timeout);
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        LastPrompt = string.Join("\n", body!["messages"]!.AsArray().Select(m => m!["content"]?.ToString()));
        switch (Mode)
        {
            case Behaviour.Stall:
                await Task.Delay(Bounded.Timeout, context.RequestAborted);
                return;
            case Behaviour.Fail:
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
        }
        var response = new JsonObject
        {
            ["id"] = "chatcmpl-test",
            ["object"] = "chat.completion",
            ["created"] = 1_700_000_000,
            ["model"] = body["model"]?.ToString(),
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = Reply },
                ["finish_reason"] = "stop",
            }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 10, ["completion_tokens"] = 5, ["total_tokens"] = 15 },
        };
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(response.ToJsonString(JsonSerializerOptions.Default), context.RequestAborted);
    }
}
