package services

var _ = register(&Service{
	Name:     "pgadmin",
	Order:    70,
	Optional: true,
	Image:    "dpage/pgadmin4:latest",
	Ports: []Port{
		{Name: "http", Container: 80, Host: 5250},
		{Name: "https", Container: 443, Host: 5251},
	},
})
