//! The runtime's tests: the change feed's refusal, `:save`'s file write and
//! the whole redraw after the editor.

#[cfg(feature = "embedded")]
mod feed {
    use rapport_server::embedded::EmbeddedServer;

    use super::super::*;

    /// A token the server refuses reaches the app as a message, the same
    /// error any other request with that token gets.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_refused_token_on_the_change_feed_reaches_the_app() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let server = EmbeddedServer::start(&dir.path().join("feed.db"), false).await?;
        let api = ApiClient::new(&server.base_url, "not-a-token")?;
        let refused = api.me().await.expect_err("an unknown token is refused");

        let (tx, mut rx) = mpsc::unbounded_channel();
        let feed = watch_changes(api, tx);
        let told = tokio::time::timeout(Duration::from_secs(3), rx.recv()).await;
        feed.abort();
        server.shutdown().await;

        match told {
            Ok(Some(Msg::FeedFailed(error))) => assert_eq!(error, refused),
            other => panic!("expected the refusal as a message, got {other:?}"),
        }
        Ok(())
    }
}

mod save_view {
    use ratatui::backend::TestBackend;

    use super::super::*;
    use crate::config::{Settings, ViewConfig};

    fn runtime() -> anyhow::Result<Runtime<TestBackend>> {
        let app = App::new(
            &Settings::default(),
            crate::keymap::KeyMap::default(),
            crate::theme::Theme::default(),
            "http://rapport.test",
        );
        let terminal = Terminal::new(TestBackend::new(80, 24))?;
        // Nothing is sent: the port is never dialled.
        let api = ApiClient::new("http://127.0.0.1:9", "token")?;
        Ok(Runtime::new(terminal, app, api, Box::new(|_| {})))
    }

    async fn saved(runtime: &mut Runtime<TestBackend>) -> Result<(ViewConfig, String), String> {
        let view = ViewConfig {
            name: "Due soon".to_string(),
            filter: "due=week sort=due".to_string(),
        };
        runtime.execute(Command::SaveView { request: 7, view });
        match runtime.rx.recv().await {
            Some(Msg::Reply {
                request: 7,
                reply: Reply::ViewSaved(saved),
            }) => saved,
            other => panic!("expected the save's answer, got {other:?}"),
        }
    }

    /// `Command::SaveView` writes the config file the settings came from
    /// and answers with the view and the file's path, like a request.
    #[tokio::test]
    async fn a_saved_view_lands_in_the_config_file() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "# mine\npage_size = 50\n")?;
        let mut runtime = runtime()?;
        runtime.config_file = Some(path.clone());
        let (view, shown) = saved(&mut runtime).await.expect("saved");
        assert_eq!(view.name, "Due soon");
        assert_eq!(shown, path.display().to_string());
        let text = std::fs::read_to_string(&path)?;
        assert!(text.starts_with("# mine\npage_size = 50\n"), "{text}");
        assert!(text.contains("[[views]]\nname = \"Due soon\""), "{text}");
        // Without a known location the answer says so in words.
        runtime.config_file = None;
        assert_eq!(
            saved(&mut runtime).await,
            Err(crate::strings::SAVE_VIEW_NO_FILE.to_string())
        );
        Ok(())
    }
}

mod repaint {
    use ratatui::backend::TestBackend;
    use ratatui::buffer::Buffer;
    use ratatui::widgets::Paragraph;

    use super::super::*;

    /// After the editor drew over the screen, the next frame puts back
    /// every cell, also the ones the frame before had the same.
    #[test]
    fn after_the_editor_every_cell_is_drawn_again() -> anyhow::Result<()> {
        let mut terminal = Terminal::new(TestBackend::new(20, 3))?;
        let draw = |terminal: &mut Terminal<TestBackend>| {
            terminal
                .draw(|frame| {
                    frame.render_widget(Paragraph::new("the board"), frame.area());
                })
                .map(|_| ())
        };
        draw(&mut terminal)?;
        let whole = terminal.backend().buffer().clone();
        // The editor writes over the screen behind ratatui's back.
        let scribble = Buffer::with_lines(["vi was here"]);
        let cells: Vec<_> = scribble
            .content
            .iter()
            .enumerate()
            .map(|(x, cell)| (x as u16, 0, cell))
            .collect();
        terminal.backend_mut().draw(cells.into_iter())?;
        assert_ne!(terminal.backend().buffer(), &whole);
        repaint_whole(&mut terminal)?;
        draw(&mut terminal)?;
        assert_eq!(terminal.backend().buffer(), &whole);
        Ok(())
    }
}
