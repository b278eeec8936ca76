using SkillForge.Worker.Hosting;

var app = WorkerApp.Build(args);
await app.RunAsync();
