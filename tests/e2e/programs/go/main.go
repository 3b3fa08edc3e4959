// The YAML example's five resources through the generated Go SDK (sdk/go), run as an inline
// program by the Automation API: the program runs in this process, so the engine needs no Go
// language host. One operation per run, on the stack STACK (default `test`) of the project in
// the current directory; the result is one JSON line on stdout.
//
//	program up | preview | refresh | destroy
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"example.com/pulumi-alicloud-versions/sdk/go/alicloudversions/servicecatalog"
	"example.com/pulumi-alicloud-versions/sdk/go/alicloudversions/webplus"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optrefresh"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func or(value, fallback string) string {
	if value == "" {
		return fallback
	}
	return value
}

func program(ctx *pulumi.Context) error {
	cfg := config.New(ctx, "")
	bucket := or(cfg.Get("bucket"), "go-artifacts")
	release := or(cfg.Get("release"), "v1.0")
	app, err := webplus.NewApplication(ctx, "app", &webplus.ApplicationArgs{
		AppName:        pulumi.String("go-shop"),
		AppDescription: pulumi.String(or(cfg.Get("appDescription"), "Web shop declared in Go")),
		CategoryName:   pulumi.String("Java"),
	})
	if err != nil {
		return err
	}
	pkg, err := webplus.NewPkgVersion(ctx, "package", &webplus.PkgVersionArgs{
		AppId: app.AppId,
		PackageSource: pulumi.Sprintf("oss://%s/%s/%s-%s.war",
			bucket, app.AppName, app.AppName, release),
		PkgVersionLabel:       pulumi.String(release),
		PkgVersionDescription: pulumi.String("release " + release),
	})
	if err != nil {
		return err
	}
	body, err := json.Marshal(map[string]any{
		"ROSTemplateFormatVersion": "2015-09-01",
		"Workspace":                map[string]string{"main.tf": "variable \"package_url\" { type = string }\n"},
	})
	if err != nil {
		return err
	}
	template, err := servicecatalog.NewTemplate(ctx, "template", &servicecatalog.TemplateArgs{
		TemplateType: pulumi.String("RosTerraformTemplate"),
		TemplateBody: pulumi.String(string(body)),
	})
	if err != nil {
		return err
	}
	product, err := servicecatalog.NewProduct(ctx, "product", &servicecatalog.ProductArgs{
		ProductName:  pulumi.String("go-shop"),
		ProviderName: pulumi.String("platform-team"),
		ProductType:  pulumi.String("Ros"),
		Description:  pulumi.String("The web shop"),
	})
	if err != nil {
		return err
	}
	version, err := servicecatalog.NewProductVersion(ctx, "productVersion",
		&servicecatalog.ProductVersionArgs{
			ProductId:          product.ProductId,
			ProductVersionName: pulumi.String(release),
			TemplateType:       pulumi.String("RosTerraformTemplate"),
			TemplateUrl:        template.TemplateUrl,
			Description:        pulumi.Sprintf("ships WebPlus package %s", pkg.PkgVersionId),
			Guidance:           pulumi.String(or(cfg.Get("guidance"), "Recommended")),
		})
	if err != nil {
		return err
	}
	ctx.Export("appId", app.AppId)
	ctx.Export("pkgVersionId", pkg.PkgVersionId)
	ctx.Export("templateUrl", template.TemplateUrl)
	ctx.Export("productId", product.ProductId)
	ctx.Export("productVersionId", version.ProductVersionId)
	return nil
}

// collect gathers, per resource of the program, the steps the engine reports for it, such as
// ["same"] or ["create-replacement", "replace", "delete-replaced"].
func collect(ops map[string][]string) (chan events.EngineEvent, chan struct{}) {
	ch, done := make(chan events.EngineEvent), make(chan struct{})
	go func() {
		defer close(done)
		for ev := range ch {
			if ev.ResourcePreEvent == nil {
				continue
			}
			meta := ev.ResourcePreEvent.Metadata
			if !strings.HasPrefix(meta.Type, "pulumi:") {
				name := meta.URN[strings.LastIndex(meta.URN, "::")+2:]
				ops[name] = append(ops[name], string(meta.Op))
			}
		}
	}()
	return ch, done
}

func run(ctx context.Context, command string) (any, error) {
	cwd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	// The project (its name, the stack and its config) is the Pulumi.yaml in the current folder.
	ws, err := auto.NewLocalWorkspace(ctx, auto.WorkDir(cwd), auto.Program(program))
	if err != nil {
		return nil, err
	}
	stack, err := auto.SelectStack(ctx, or(os.Getenv("STACK"), "test"), ws)
	if err != nil {
		return nil, err
	}
	ops := map[string][]string{}
	ch, done := collect(ops)
	result := map[string]any{"ops": ops}
	switch command {
	case "up":
		up, err := stack.Up(ctx, optup.EventStreams(ch))
		if err != nil {
			return nil, err
		}
		outputs := map[string]any{}
		for k, v := range up.Outputs {
			outputs[k] = v.Value
		}
		result["summary"], result["outputs"] = up.Summary.ResourceChanges, outputs
	case "preview":
		preview, err := stack.Preview(ctx, optpreview.EventStreams(ch))
		if err != nil {
			return nil, err
		}
		result["summary"] = preview.ChangeSummary
	case "refresh":
		refresh, err := stack.Refresh(ctx, optrefresh.EventStreams(ch))
		if err != nil {
			return nil, err
		}
		result["summary"] = refresh.Summary.ResourceChanges
	case "destroy":
		destroy, err := stack.Destroy(ctx, optdestroy.EventStreams(ch))
		if err != nil {
			return nil, err
		}
		result["summary"] = destroy.Summary.ResourceChanges
	default:
		return nil, fmt.Errorf("unknown command %q: up, preview, refresh or destroy", command)
	}
	<-done // the engine closes the channel once the operation's events are all sent
	return result, nil
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: program up|preview|refresh|destroy")
		os.Exit(2)
	}
	result, err := run(context.Background(), os.Args[1])
	if err == nil {
		err = json.NewEncoder(os.Stdout).Encode(result)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
