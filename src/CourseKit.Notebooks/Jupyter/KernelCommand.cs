using System.CommandLine;

namespace CourseKit.Notebooks.Jupyter;

/// <summary>
/// <c>coursekit kernel -f CONNECTION_FILE</c>: serves as a Jupyter kernel (what the kernelspec starts), and
/// <c>coursekit kernel install [--user | --prefix DIR]</c>: writes that kernelspec. Exit code 2 for bad arguments.
/// </summary>
public static class KernelCommand
{
    public static Command Create()
    {
        var connectionFile = new Option<string>("-f", "--connection-file")
        {
            Description = "the connection file a Jupyter client wrote (ports and signing key)",
            HelpName = "FILE",
            Required = true,
        };
        var command = new Command("kernel",
            "Serves as a Jupyter kernel for C# notebooks on CourseKit's runner (a Jupyter client starts this through the kernelspec "
            + "that `kernel install` writes).")
        {
            connectionFile,
        };
        command.SetAction(parsed => Serve(parsed.GetValue(connectionFile)!, parsed.InvocationConfiguration.Error));

        var user = new Option<bool>("--user") { Description = "into your own Jupyter folder (the default)" };
        var prefix = new Option<string>("--prefix") { Description = "into DIR/share/jupyter/kernels (a virtual environment, a course folder)", HelpName = "DIR" };
        var install = new Command("install", $"Writes the kernelspec '{KernelSpec.Name}' (\"{KernelSpec.DisplayName}\") so that VS Code and JupyterLab offer this kernel; no admin rights needed.")
        {
            user, prefix,
        };
        install.Validators.Add(r =>
        {
            if (r.GetResult(user) is not null && r.GetResult(prefix) is not null) r.AddError("choose --user or --prefix, not both.");
        });
        install.SetAction(parsed =>
        {
            string? dir = parsed.GetValue(prefix);
            string kernels = dir is null ? KernelSpec.UserKernelsFolder() : KernelSpec.PrefixKernelsFolder(dir);
            string folder = KernelSpec.Write(kernels, KernelSpec.ThisProgram());
            parsed.InvocationConfiguration.Output.WriteLine($"Installed the kernelspec {KernelSpec.Name} (\"{KernelSpec.DisplayName}\") in {folder}");
            return 0;
        });
        command.Subcommands.Add(install);
        return command;
    }

    private static int Serve(string connectionFile, TextWriter errors)
    {
        ConnectionFile connection;
        try { connection = ConnectionFile.Load(connectionFile); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or System.Text.Json.JsonException)
        {
            errors.WriteLine($"coursekit kernel: cannot read the connection file {connectionFile}: {e.Message}");
            return ToolCommandLine.BadArguments;
        }
        return new JupyterKernel(connection, errors).Run();
    }
}
